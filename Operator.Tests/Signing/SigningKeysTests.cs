using System.Security.Cryptography;
using SecurityOperator.Signing;

namespace SecurityOperator.Tests.Signing;

public class SigningKeysTests
{
    [Fact]
    public void Reads_pkcs8_and_sec1_private_keys_and_spki_public_keys_that_agree()
    {
        using var pair = new TestKeyPair();
        using var pkcs8 = SigningKeys.LoadPrivateKey(pair.PrivatePem, "cosign.key");
        using var sec1 = SigningKeys.LoadPrivateKey(pair.Key.ExportECPrivateKeyPem(), "ec.key");
        using var pub = SigningKeys.LoadPublicKey(pair.PublicPem, "cosign.pub");
        var data = "payload"u8.ToArray();
        Assert.True(pub.Verifies(data, pkcs8.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.True(pub.Verifies(data, sec1.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.Equal(64, pub.Fingerprint.Length);
    }

    [Fact]
    public void Another_curve_is_refused_naming_the_curve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var e = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey(p384.ExportSubjectPublicKeyInfoPem(), "p384.pub"));
        Assert.Contains("key p384.pub", e.Message);
        Assert.Contains("P-256", e.Message);
    }

    [Fact]
    public void Cosign_encrypted_keys_are_refused_with_a_way_out()
    {
        const string pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        var e = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivateKey(pem, "cosign.key"));
        Assert.Contains("password-encrypted", e.Message);
        Assert.Contains("PKCS#8", e.Message);
    }

    [Fact]
    public void The_wrong_half_of_a_pair_is_refused()
    {
        using var pair = new TestKeyPair();
        Assert.Contains("holds a public key", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivateKey(pair.PublicPem, "x")).Message);
        Assert.Contains("holds a private key", Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey(pair.PrivatePem, "y")).Message);
    }

    [Fact]
    public void Garbage_is_refused_naming_the_file()
    {
        var e = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey("hello", "notes.txt"));
        Assert.Contains("key notes.txt is not a PEM public key", e.Message);
    }
}
