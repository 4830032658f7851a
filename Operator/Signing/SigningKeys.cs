using System.Security.Cryptography;

namespace SecurityOperator.Signing;

/// <summary>Reads ECDSA P-256 keys from PEM: private keys as PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), public
/// keys as SubjectPublicKeyInfo ("PUBLIC KEY", what cosign writes to cosign.pub). cosign's own password-encrypted
/// private key format (scrypt + secretbox) is not supported: it is recognised and refused with a way out.</summary>
public static class SigningKeys
{
    private static readonly string[] CosignEncryptedLabels = ["ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"];

    public static ECDsa LoadPrivateKey(string pem, string source)
    {
        foreach (var label in CosignEncryptedLabels)
            if (pem.Contains("-----BEGIN " + label + "-----", StringComparison.Ordinal))
                throw new SigningKeyException(source, $"is a cosign password-encrypted key ({label}), which this build does not read; " +
                                                      "use a plain PKCS#8 or SEC1 PEM P-256 key (openssl ecparam -name prime256v1 -genkey -noout)");
        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            throw new SigningKeyException(source, "is a password-encrypted PKCS#8 key; give an unencrypted PEM key");
        var key = Import(pem, source, "a PEM private key (PRIVATE KEY or EC PRIVATE KEY)");
        // A public-only import has no private parameters: signing would fail later with an obscure message.
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new SigningKeyException(source, "holds a public key; signing needs the private key");
        }
        return key;
    }

    public static VerificationKey LoadPublicKey(string pem, string source)
    {
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            throw new SigningKeyException(source, "holds a private key; verification takes the public key (PUBLIC KEY PEM)");
        var key = Import(pem, source, "a PEM public key (PUBLIC KEY)");
        return new VerificationKey(key, source);
    }

    private static ECDsa Import(string pem, string source, string expected)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new SigningKeyException(source, $"is not {expected} of an ECDSA key: {e.Message}");
        }
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            var name = curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "unnamed";
            key.Dispose();
            throw new SigningKeyException(source, $"is an ECDSA key on curve {name}; cosign key pairs are P-256 (prime256v1)");
        }
        return key;
    }
}

/// <summary>A key that cannot be used, naming where it came from.</summary>
public sealed class SigningKeyException(string source, string problem) : Exception($"key {source} {problem}")
{
    public string KeySource { get; } = source;
}
