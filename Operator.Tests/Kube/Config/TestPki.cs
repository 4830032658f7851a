using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Tests.Kube.Config;

/// <summary>A throwaway PKI for tests: a CA, a loopback server certificate and RSA/EC client certificates, with PEM text.</summary>
internal sealed class TestPki
{
    public static readonly TestPki Shared = new();

    public X509Certificate2 Ca { get; }
    public RSA CaKey { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 RsaClient { get; }
    public RSA RsaClientKey { get; }
    public X509Certificate2 EcClient { get; }
    public ECDsa EcClientKey { get; }

    public TestPki(string caName = "test-ca")
    {
        CaKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={caName}", CaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        // Deliberately not "localhost": tests connect through that name to see a host name mismatch rejected.
        names.AddDnsName("kubernetes.default.svc");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverPublic = Issue(serverRequest);
        // Kestrel wants a certificate whose key is usable by SslStream; a PKCS#12 round trip gives a persisted-style key.
        Server = X509CertificateLoader.LoadPkcs12(serverPublic.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        RsaClientKey = RSA.Create(2048);
        RsaClient = Issue(ClientRequest("CN=rsa-user,O=system:masters", RsaClientKey));
        EcClientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EcClient = Issue(new CertificateRequest("CN=ec-user", EcClientKey, HashAlgorithmName.SHA256) { CertificateExtensions = { ClientUsage() } });
    }

    private static CertificateRequest ClientRequest(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(ClientUsage());
        return request;
    }

    private static X509Extension ClientUsage() => new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false);

    private X509Certificate2 Issue(CertificateRequest request) =>
        // The generator overload lets an RSA CA sign an EC request.
        request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForRSA(CaKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));

    public string CaPem => Ca.ExportCertificatePem();
    public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text));
}
