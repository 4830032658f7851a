using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SecurityOperator.Kube.Config;

namespace SecurityOperator.Kube.Client;

/// <summary>Builds the one SocketsHttpHandler of a client from its configuration: CA pinning, tls-server-name, client
/// certificates (static or from an exec plugin, picked per connection), proxy.</summary>
internal sealed class KubeTlsSetup
{
    private readonly KubeClientConfig _config;

    /// <summary>The client certificate new connections present; updated from the credential source before each request,
    /// so a certificate rotated by an exec plugin is used from the next new connection on.</summary>
    public X509Certificate2? CurrentClientCertificate { get; set; }

    public KubeTlsSetup(KubeClientConfig config)
    {
        _config = config;
        CurrentClientCertificate = config.ClientCertificate;
    }

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            // Responses above 128 KiB are gzipped by kube-apiserver when asked, as client-go asks by default.
            AutomaticDecompression = DecompressionMethods.GZip,
            // Recycle connections now and then so DNS changes and rotated client certificates are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30), // client-go's dialer timeout (net.Dialer Timeout 30 s)
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = ValidateServer,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => CurrentClientCertificate!,
            },
        };
        if (_config.Proxy is not null)
        {
            handler.Proxy = new WebProxy(_config.Proxy);
            handler.UseProxy = true;
        }
        return handler;
    }

    /// <summary>With a CA bundle, the server chain must end at one of its certificates (system roots are NOT trusted, as
    /// in client-go when certificate-authority is set). The host name is checked against tls-server-name when set.</summary>
    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (_config.InsecureSkipTlsVerify) return true;
        if (certificate is null) return false;
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var nameOk = _config.TlsServerName is { } name
            ? leaf.MatchesHostname(name)
            : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        if (!nameOk) return false;
        if (_config.CertificateAuthorities is null)
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_config.CertificateAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // cluster CAs publish no CRL/OCSP
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (element.Certificate.Thumbprint != leaf.Thumbprint) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(leaf);
    }
}
