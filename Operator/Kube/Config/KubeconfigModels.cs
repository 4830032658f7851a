using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Config;

// The kubeconfig file format (clientcmd/api/v1). Key names are kubectl's, dashes included. Unknown keys are ignored, as
// kubectl ignores them, so files written by newer kubectl versions still load.

public sealed class KubeconfigDocument
{
    [JsonPropertyName("current-context")] public string? CurrentContext { get; set; }
    [JsonPropertyName("clusters")] public List<NamedCluster>? Clusters { get; set; }
    [JsonPropertyName("users")] public List<NamedUser>? Users { get; set; }
    [JsonPropertyName("contexts")] public List<NamedContext>? Contexts { get; set; }
}

public sealed class NamedCluster
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("cluster")] public KubeconfigCluster? Cluster { get; set; }
}

public sealed class KubeconfigCluster
{
    [JsonPropertyName("server")] public string? Server { get; set; }
    [JsonPropertyName("certificate-authority")] public string? CertificateAuthority { get; set; }
    [JsonPropertyName("certificate-authority-data")] public string? CertificateAuthorityData { get; set; }
    [JsonPropertyName("insecure-skip-tls-verify")] public bool InsecureSkipTlsVerify { get; set; }
    [JsonPropertyName("tls-server-name")] public string? TlsServerName { get; set; }
    [JsonPropertyName("proxy-url")] public string? ProxyUrl { get; set; }
    [JsonPropertyName("extensions")] public List<NamedExtension>? Extensions { get; set; }
}

public sealed class NamedExtension
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("extension")] public JsonElement? Extension { get; set; }
}

public sealed class NamedUser
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("user")] public KubeconfigUser? User { get; set; }
}

public sealed class KubeconfigUser
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("tokenFile")] public string? TokenFile { get; set; }
    [JsonPropertyName("client-certificate")] public string? ClientCertificate { get; set; }
    [JsonPropertyName("client-certificate-data")] public string? ClientCertificateData { get; set; }
    [JsonPropertyName("client-key")] public string? ClientKey { get; set; }
    [JsonPropertyName("client-key-data")] public string? ClientKeyData { get; set; }
    [JsonPropertyName("exec")] public ExecConfig? Exec { get; set; }
    // Recognised only to reject them with a clear message instead of silently connecting as someone else.
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("auth-provider")] public JsonElement? AuthProvider { get; set; }
    [JsonPropertyName("as")] public string? Impersonate { get; set; }
}

/// <summary>users[].user.exec: a credential plugin (client.authentication.k8s.io).</summary>
public sealed class ExecConfig
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("command")] public string? Command { get; set; }
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    [JsonPropertyName("env")] public List<ExecEnvVar>? Env { get; set; }
    [JsonPropertyName("installHint")] public string? InstallHint { get; set; }
    [JsonPropertyName("provideClusterInfo")] public bool ProvideClusterInfo { get; set; }
    /// <summary>"Never", "IfAvailable" or "Always".</summary>
    [JsonPropertyName("interactiveMode")] public string? InteractiveMode { get; set; }
}

public sealed class ExecEnvVar
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

public sealed class NamedContext
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("context")] public KubeconfigContext? Context { get; set; }
}

public sealed class KubeconfigContext
{
    [JsonPropertyName("cluster")] public string? Cluster { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}
