namespace SecurityOperator.Policy.Evaluation;

/// <summary>Who and what is being evaluated, beyond the object's bytes. Kind null: read from the object (admission
/// passes request.kind.kind so the object need not carry it). Namespace is used for service-account exclusions;
/// UserName for user exclusions (admission only).</summary>
public readonly record struct EvaluationRequest(string? Kind = null, string? Namespace = null, string? UserName = null);

public enum EvaluationStatus { Evaluated, NotAWorkload, InvalidInput }

/// <summary>The outcome of one evaluation. Violations are in the caller's <see cref="ViolationBuffer"/>; the facts they
/// refer to stay in the caller's <see cref="PodFacts"/> until its next evaluation.</summary>
public readonly record struct EvaluationResult(EvaluationStatus Status, string? Error, PodTemplateLocation Location, int ViolationCount, bool Denied)
{
    public bool HasViolations => ViolationCount > 0;
}
