namespace SecurityOperator.Policy.Evaluation;

/// <summary>A string value collected from the evaluated JSON, as a range into <see cref="PodFacts"/>' text buffer
/// (unescaped UTF-8). <see cref="None"/> means the field was absent.</summary>
public readonly record struct TextRange(int Start, int Length)
{
    public static readonly TextRange None = new(-1, 0);
    public bool IsPresent => Start >= 0;
}
