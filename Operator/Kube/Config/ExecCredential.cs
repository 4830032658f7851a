using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Config;

/// <summary>client.authentication.k8s.io ExecCredential: sent to the plugin in KUBERNETES_EXEC_INFO (spec) and read back
/// from its stdout (status). The v1 and v1beta1 shapes are the same for these fields.</summary>
public sealed class ExecCredential
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("spec")] public ExecCredentialSpec? Spec { get; set; }
    [JsonPropertyName("status")] public ExecCredentialStatus? Status { get; set; }
}

public sealed class ExecCredentialSpec
{
    [JsonPropertyName("interactive")] public bool Interactive { get; set; }
    [JsonPropertyName("cluster")] public ExecCluster? Cluster { get; set; }
}

/// <summary>The cluster information passed when the kubeconfig sets provideClusterInfo: true.</summary>
public sealed class ExecCluster
{
    [JsonPropertyName("server")] public string? Server { get; set; }
    [JsonPropertyName("tls-server-name")] public string? TlsServerName { get; set; }
    [JsonPropertyName("insecure-skip-tls-verify")] public bool? InsecureSkipTlsVerify { get; set; }
    [JsonPropertyName("certificate-authority-data")] public string? CertificateAuthorityData { get; set; }
    [JsonPropertyName("config")] public JsonElement? Config { get; set; }
}

public sealed class ExecCredentialStatus
{
    [JsonPropertyName("expirationTimestamp")] public DateTimeOffset? ExpirationTimestamp { get; set; }
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("clientCertificateData")] public string? ClientCertificateData { get; set; }
    [JsonPropertyName("clientKeyData")] public string? ClientKeyData { get; set; }
}
