using System.Net;

namespace SecurityOperator.Kube.Config;

/// <summary>The configuration of a process running in a pod, as client-go's rest.InClusterConfig builds it: the API server
/// from KUBERNETES_SERVICE_HOST/PORT, and the service-account token, CA and namespace mounted under
/// <see cref="DefaultRoot"/>. The token is re-read as the kubelet rotates it (<see cref="TokenFileCredentialSource"/>).</summary>
public static class InClusterConfig
{
    /// <summary>Where the kubelet mounts the service-account volume (k8s.io/client-go/rest, tokenFile/rootCAFile).</summary>
    public const string DefaultRoot = "/var/run/secrets/kubernetes.io/serviceaccount";

    private const string Origin = "in-cluster";

    /// <summary>True when the service environment variables are set, i.e. the process runs in a pod.</summary>
    public static bool IsAvailable(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"));

    /// <param name="root">The mounted service-account directory; tests pass a temporary one.</param>
    public static KubeClientConfig Load(Func<string, string?> environment, string root = DefaultRoot, TimeProvider? time = null)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
            throw new KubeconfigException(Origin, "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT",
                "not set: the process is not running in a pod (pass --kubeconfig or set KUBECONFIG)");
        if (!ushort.TryParse(port, out var portNumber) || portNumber == 0)
            throw new KubeconfigException(Origin, "KUBERNETES_SERVICE_PORT", $"'{port}' is not a TCP port");
        // An IPv6 service IP must be bracketed in a URL (client-go uses net.JoinHostPort).
        var hostPart = IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]" : host;
        if (!Uri.TryCreate($"https://{hostPart}:{portNumber}", UriKind.Absolute, out var server))
            throw new KubeconfigException(Origin, "KUBERNETES_SERVICE_HOST", $"'{host}' is not a host name or IP address");

        var tokenPath = Path.Combine(root, "token");
        var credentials = new TokenFileCredentialSource(tokenPath, Origin, tokenPath, time);
        credentials.GetAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult(); // fail now, not at the first request
        var caPath = Path.Combine(root, "ca.crt");
        var authorities = PemCredentials.LoadCertificateAuthorities(PemCredentials.ReadFile(caPath, Origin, caPath), Origin, caPath);
        return new KubeClientConfig
        {
            Server = server,
            CertificateAuthorities = authorities,
            Credentials = credentials,
            Namespace = ReadNamespace(environment, root),
            Origin = Origin,
        };
    }

    /// <summary>POD_NAMESPACE, then the mounted namespace file, then "default" (clientcmd's inClusterClientConfig.Namespace).</summary>
    private static string ReadNamespace(Func<string, string?> environment, string root)
    {
        var fromEnvironment = environment("POD_NAMESPACE");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var path = Path.Combine(root, "namespace");
        var fromFile = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        return fromFile.Length > 0 ? fromFile : "default";
    }
}
