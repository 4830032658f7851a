using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Kube.Config;

/// <summary>Everything the client needs to reach one API server, resolved from a kubeconfig context or in-cluster.</summary>
public sealed class KubeClientConfig
{
    public required Uri Server { get; init; }
    /// <summary>The CA bundle to pin: the server certificate must chain to one of these. Null means the system trust store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    /// <summary>The name checked against the server certificate (and sent as SNI) instead of the server URL's host.</summary>
    public string? TlsServerName { get; init; }
    /// <summary>A client certificate from the kubeconfig itself (exec plugins supply theirs through <see cref="Credentials"/>).</summary>
    public X509Certificate2? ClientCertificate { get; init; }
    public ICredentialSource? Credentials { get; init; }
    public Uri? Proxy { get; init; }
    /// <summary>The context's namespace, "default" when unset (kubectl's default).</summary>
    public string Namespace { get; init; } = "default";
    /// <summary>Where this came from, for logs: "kubeconfig /x/config (context kind-dev)" or "in-cluster".</summary>
    public required string Origin { get; init; }
}
