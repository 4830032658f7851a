using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Kube.Config;

/// <summary>Picks a context from merged kubeconfig files and turns its cluster and user into a <see cref="KubeClientConfig"/>,
/// validating like clientcmd's validation (which kubectl applies before connecting).</summary>
internal static class KubeconfigResolver
{
    public static KubeClientConfig Resolve(MergedKubeconfig config, string? contextOverride, TimeProvider? time = null)
    {
        var files = string.Join(":", config.Files);
        var contextName = string.IsNullOrEmpty(contextOverride) ? config.CurrentContext : contextOverride;
        if (string.IsNullOrEmpty(contextName))
            throw new KubeconfigException(files, "current-context", "is not set and no context was given");
        if (!config.Contexts.TryGetValue(contextName, out var context))
            throw new KubeconfigException(files, contextOverride is null ? "current-context" : null,
                $"context '{contextName}' is not defined (known: {Known(config.Contexts.Keys)})");
        var contextField = $"contexts[{context.Index}].context";
        var clusterName = context.Value.Cluster;
        if (string.IsNullOrEmpty(clusterName))
            throw new KubeconfigException(context.File.Path, $"{contextField}.cluster", "is required");
        if (!config.Clusters.TryGetValue(clusterName, out var cluster))
            throw new KubeconfigException(context.File.Path, $"{contextField}.cluster",
                $"names cluster '{clusterName}', which no kubeconfig file defines (known: {Known(config.Clusters.Keys)})");
        Sourced<KubeconfigUser>? user = null;
        if (!string.IsNullOrEmpty(context.Value.User) && !config.Users.TryGetValue(context.Value.User, out user))
            throw new KubeconfigException(context.File.Path, $"{contextField}.user",
                $"names user '{context.Value.User}', which no kubeconfig file defines (known: {Known(config.Users.Keys)})");

        var tls = ResolveCluster(cluster);
        var (clientCertificate, credentials) = user is null ? (null, null) : ResolveUser(user, tls.ExecCluster, time);
        return new KubeClientConfig
        {
            Server = tls.Server,
            CertificateAuthorities = tls.CertificateAuthorities,
            InsecureSkipTlsVerify = cluster.Value.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.Value.TlsServerName) ? null : cluster.Value.TlsServerName,
            Proxy = tls.Proxy,
            ClientCertificate = clientCertificate,
            Credentials = credentials,
            Namespace = string.IsNullOrEmpty(context.Value.Namespace) ? "default" : context.Value.Namespace,
            Origin = $"kubeconfig {files} (context {contextName})",
        };
    }

    private sealed record ClusterTls(Uri Server, X509Certificate2Collection? CertificateAuthorities, Uri? Proxy, ExecCluster ExecCluster);

    private static ClusterTls ResolveCluster(Sourced<KubeconfigCluster> sourced)
    {
        var (cluster, file) = (sourced.Value, sourced.File.Path);
        var field = $"clusters[{sourced.Index}].cluster";
        if (string.IsNullOrEmpty(cluster.Server))
            throw new KubeconfigException(file, $"{field}.server", "is required");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw new KubeconfigException(file, $"{field}.server", $"'{cluster.Server}' is not an absolute http(s) URL");
        var hasData = !string.IsNullOrEmpty(cluster.CertificateAuthorityData);
        var hasFile = !string.IsNullOrEmpty(cluster.CertificateAuthority);
        if (hasData && hasFile)
            throw new KubeconfigException(file, field, "certificate-authority and certificate-authority-data are both set; keep one");
        if (cluster.InsecureSkipTlsVerify && (hasData || hasFile))
            throw new KubeconfigException(file, $"{field}.insecure-skip-tls-verify",
                "cannot be combined with a certificate authority (kubectl rejects this too)");
        byte[]? caPem = null;
        if (hasData)
            caPem = PemCredentials.DecodeBase64(cluster.CertificateAuthorityData!, file, $"{field}.certificate-authority-data");
        else if (hasFile)
            caPem = PemCredentials.ReadFile(ResolvePath(sourced.File, cluster.CertificateAuthority!), file, $"{field}.certificate-authority");
        var authorities = caPem is null ? null
            : PemCredentials.LoadCertificateAuthorities(caPem, file, hasData ? $"{field}.certificate-authority-data" : $"{field}.certificate-authority");
        Uri? proxy = null;
        if (!string.IsNullOrEmpty(cluster.ProxyUrl) && !Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out proxy))
            throw new KubeconfigException(file, $"{field}.proxy-url", $"'{cluster.ProxyUrl}' is not an absolute URL");
        var execCluster = new ExecCluster
        {
            Server = cluster.Server,
            TlsServerName = cluster.TlsServerName,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify ? true : null,
            CertificateAuthorityData = caPem is null ? null : Convert.ToBase64String(caPem),
            // client-go passes the cluster extension named "client.authentication.k8s.io/exec" as spec.cluster.config.
            Config = cluster.Extensions?.FirstOrDefault(e => e.Name == "client.authentication.k8s.io/exec")?.Extension,
        };
        return new ClusterTls(server, authorities, proxy, execCluster);
    }

    private static (X509Certificate2?, ICredentialSource?) ResolveUser(Sourced<KubeconfigUser> sourced, ExecCluster execCluster, TimeProvider? time)
    {
        var (user, file) = (sourced.Value, sourced.File.Path);
        var field = $"users[{sourced.Index}].user";
        if (!string.IsNullOrEmpty(user.Username))
            throw new KubeconfigException(file, $"{field}.username", "basic authentication is not supported (kube-apiserver removed it in 1.19)");
        if (user.AuthProvider is not null)
            throw new KubeconfigException(file, $"{field}.auth-provider", "auth providers are not supported (kubectl removed them in 1.26); use an exec plugin");
        if (!string.IsNullOrEmpty(user.Impersonate))
            throw new KubeconfigException(file, $"{field}.as", "impersonation is not supported");
        var hasToken = !string.IsNullOrEmpty(user.Token) || !string.IsNullOrEmpty(user.TokenFile);
        if (user.Exec is not null && hasToken)
            throw new KubeconfigException(file, field, "exec and token/tokenFile are both set; only one authentication method may be used");

        var certificate = ResolveClientCertificate(sourced);
        ICredentialSource? credentials = null;
        if (user.Exec is not null)
            credentials = new ExecCredentialSource(user.Exec, file, $"{field}.exec", sourced.File.Directory, execCluster, time);
        else if (!string.IsNullOrEmpty(user.TokenFile))
            // tokenFile wins over token: client-go's rest.Config says the last value read from BearerTokenFile takes precedence.
            credentials = new TokenFileCredentialSource(ResolvePath(sourced.File, user.TokenFile), file, $"{field}.tokenFile", time);
        else if (!string.IsNullOrEmpty(user.Token))
            credentials = new StaticCredentialSource(user.Token);
        return (certificate, credentials);
    }

    private static X509Certificate2? ResolveClientCertificate(Sourced<KubeconfigUser> sourced)
    {
        var (user, file) = (sourced.Value, sourced.File.Path);
        var field = $"users[{sourced.Index}].user";
        var certificate = Material(sourced, user.ClientCertificateData, user.ClientCertificate, $"{field}.client-certificate");
        var key = Material(sourced, user.ClientKeyData, user.ClientKey, $"{field}.client-key");
        if (certificate is null && key is null) return null;
        if (certificate is null)
            throw new KubeconfigException(file, field, "client-key is set without client-certificate");
        if (key is null)
            throw new KubeconfigException(file, field, "client-certificate is set without client-key");
        return PemCredentials.LoadClientCertificate(certificate.Value.Pem, certificate.Value.Field, key.Value.Pem, key.Value.Field, file);
    }

    /// <summary>The PEM of a "X" / "X-data" field pair, and the name of the field it came from.</summary>
    private static (byte[] Pem, string Field)? Material(Sourced<KubeconfigUser> sourced, string? data, string? path, string field)
    {
        var file = sourced.File.Path;
        if (!string.IsNullOrEmpty(data) && !string.IsNullOrEmpty(path))
            throw new KubeconfigException(file, field, $"both {Leaf(field)} and {Leaf(field)}-data are set; keep one");
        if (!string.IsNullOrEmpty(data))
            return (PemCredentials.DecodeBase64(data, file, $"{field}-data"), $"{field}-data");
        if (!string.IsNullOrEmpty(path))
            return (PemCredentials.ReadFile(ResolvePath(sourced.File, path), file, field), field);
        return null;
    }

    /// <summary>Relative paths in a kubeconfig are relative to the file that contains them (clientcmd ResolveLocalPaths).</summary>
    private static string ResolvePath(KubeconfigFile file, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(file.Directory, path));

    private static string Leaf(string field) => field[(field.LastIndexOf('.') + 1)..];

    private static string Known(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Order(StringComparer.Ordinal));
        return list.Length == 0 ? "none" : list;
    }
}
