using System.Security.Cryptography;
using SecurityOperator.Signing;

namespace SecurityOperator.Tests.Signing;

/// <summary>Fresh ECDSA P-256 key pairs as PEM, like cosign.key/cosign.pub (unencrypted).</summary>
public sealed class TestKeyPair : IDisposable
{
    public TestKeyPair() => Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa Key { get; }
    public string PrivatePem => Key.ExportPkcs8PrivateKeyPem();
    public string PublicPem => Key.ExportSubjectPublicKeyInfoPem();
    public VerificationKey Public(string name = "test.pub") => SigningKeys.LoadPublicKey(PublicPem, name);

    /// <summary>Writes both PEM files to a temporary folder and returns their paths.</summary>
    public (string PrivatePath, string PublicPath) WriteFiles()
    {
        var directory = Directory.CreateTempSubdirectory("signing-keys-").FullName;
        var privatePath = Path.Combine(directory, "cosign.key");
        var publicPath = Path.Combine(directory, "cosign.pub");
        File.WriteAllText(privatePath, PrivatePem);
        File.WriteAllText(publicPath, PublicPem);
        return (privatePath, publicPath);
    }

    public void Dispose() => Key.Dispose();
}
