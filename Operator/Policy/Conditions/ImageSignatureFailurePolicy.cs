namespace SecurityOperator.Policy.Conditions;

/// <summary>What an imageSignature condition does when the registry cannot be asked (unreachable, timeout, 5xx, 429):
/// Fail denies (the default, as the Kubernetes webhook failurePolicy and sigstore's policy-controller default to
/// failing closed); Ignore allows the pod with a warning naming the image and the error. A verification that ran and
/// failed (unsigned, wrong key, tampered, moved tag) denies under both.</summary>
public enum ImageSignatureFailurePolicy { Fail, Ignore }
