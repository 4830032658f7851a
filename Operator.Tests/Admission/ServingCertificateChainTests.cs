using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Tests.Admission;

/// <summary>A serving certificate issued by an intermediate CA: the API server trusts only the root in its caBundle,
/// so the handshake must carry the intermediate from tls.crt.</summary>
public sealed class ServingCertificateChainTests
{
    [Fact]
    public async Task IntermediatesInTheCertificateFileAreSentInTheHandshake()
    {
        var (root, chainPem, keyPem) = RootIntermediateLeaf();
        await using var server = await WebhookServerFixture.StartAsync([]);
        server.Volume.Swap(chainPem, keyPem);
        Assert.True(server.Certificates.CheckNow());
        Assert.Equal("CN=webhook-leaf", server.Certificates.Current.Subject);

        // The client trusts the root alone and builds the chain from what the server sent.
        var builtWithRootOnly = false;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, sent, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.ExtraStore.AddRange(sent!.ChainPolicy.ExtraStore);
                    builtWithRootOnly = chain.Build(new X509Certificate2(certificate!));
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(builtWithRootOnly, "the chain to the root could not be built from the certificates the server sent");
    }

    private static (X509Certificate2 Root, string ChainPem, string KeyPem) RootIntermediateLeaf()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=test-root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=test-intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=webhook-leaf", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(intermediate, now.AddMinutes(-5), now.AddHours(12), [5, 6, 7, 8]);
        return (root, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n", leafKey.ExportPkcs8PrivateKeyPem());
    }
}
