namespace SecurityOperator.Policy.Evaluation;

/// <summary>The reusable buffers of one evaluating thread (facts + violations). Evaluation allocates nothing once a
/// thread's scratch is warm; a caller that formats violations must do so before its thread's next evaluation.</summary>
public sealed class EvaluationScratch
{
    [ThreadStatic] private static EvaluationScratch? _current;

    public PodFacts Facts { get; } = new();
    public ViolationBuffer Violations { get; } = new();

    /// <summary>This thread's scratch (created on first use).</summary>
    public static EvaluationScratch ForCurrentThread => _current ??= new EvaluationScratch();
}
