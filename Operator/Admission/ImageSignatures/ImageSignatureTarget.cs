using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>One image (as written in the pod) that one imageSignature condition of the request's policies targets.</summary>
public readonly record struct ImageSignatureTarget(ImageSignatureCondition Condition, string Image);

/// <summary>What the step verifies for one request: the targets, and where the pod's pull credentials come from.</summary>
public sealed record ImageSignatureRequest(IReadOnlyList<ImageSignatureTarget> Targets, string? Namespace, string? ServiceAccount,
    IReadOnlyList<string> PullSecrets);
