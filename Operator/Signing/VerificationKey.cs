using System.Security.Cryptography;

namespace SecurityOperator.Signing;

/// <summary>An ECDSA P-256 public key with where it came from and a fingerprint (SHA-256 of its
/// SubjectPublicKeyInfo), which names it in messages and identifies it in caches.</summary>
public sealed class VerificationKey : IDisposable
{
    private readonly ECDsa _key;

    public VerificationKey(ECDsa key, string source)
    {
        _key = key;
        Source = source;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public string Source { get; }
    public string Fingerprint { get; }

    /// <summary>Whether <paramref name="signature"/> (ASN.1 DER, as cosign stores it) is this key's ECDSA-SHA256 over
    /// <paramref name="payload"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _key.Dispose();

    public override string ToString() => $"{Source} (sha256:{Fingerprint[..16]})";
}
