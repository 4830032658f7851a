using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>One image (as written in the pod) that one imageSignature condition of the request's policies targets.</summary>
public readonly record struct ImageSignatureTarget(ImageSignatureCondition Condition, string Image);
