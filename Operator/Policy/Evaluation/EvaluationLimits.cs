namespace SecurityOperator.Policy.Evaluation;

/// <summary>Bounds on what the evaluator accepts. Defaults: 3 MiB, the API server's maximum request body
/// (apiserver MaxRequestBodyBytes = 3 * 1024 * 1024), and nesting 64, the System.Text.Json default max depth, far
/// above the ~12 levels a real pod needs.</summary>
public readonly record struct EvaluationLimits(int MaxBytes, int MaxDepth)
{
    public static readonly EvaluationLimits Default = new(3 * 1024 * 1024, 64);
}
