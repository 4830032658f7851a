using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Policy.Api;

/// <summary>security.io/v1 SecurityPolicy: namespaced; applies to pods of its own namespace.</summary>
public sealed class SecurityPolicy : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public SecurityPolicySpec? Spec { get; set; }
    [JsonPropertyName("status")] public SecurityPolicyStatus? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>security.io/v1 ClusterSecurityPolicy: cluster-scoped, same spec; applies to every namespace its
/// targets.namespaceSelector matches (all namespaces when absent).</summary>
public sealed class ClusterSecurityPolicy : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public SecurityPolicySpec? Spec { get; set; }
    [JsonPropertyName("status")] public SecurityPolicyStatus? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
