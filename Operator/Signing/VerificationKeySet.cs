namespace SecurityOperator.Signing;

/// <summary>The keys one imageSignature condition verifies with, at one moment (inline keys are fixed; keys from
/// Secrets change when the Secret is rotated), and <see cref="Id"/>: the sorted fingerprints, so that verification
/// results are cached per key set and a rotated key never reuses the old key's results.</summary>
public sealed class VerificationKeySet
{
    public VerificationKeySet(IReadOnlyList<VerificationKey> keys)
    {
        Keys = keys;
        Id = string.Join(",", keys.Select(k => k.Fingerprint).Order(StringComparer.Ordinal));
    }

    public IReadOnlyList<VerificationKey> Keys { get; }
    public string Id { get; }
}
