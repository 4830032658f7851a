using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>A v1 ConfigMap as far as the baseline store needs it; unknown fields survive a read-modify-write.</summary>
public sealed class BaselineConfigMap : IKubeObject
{
    public static readonly KubeResource Resource = new("", "v1", "configmaps", "ConfigMap", true);

    public const string DataKey = "baseline.json";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by", ManagedBy = "security-operator";
    public const string ComponentLabel = "app.kubernetes.io/component", Component = "baseline";

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "ConfigMap";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("data")] public Dictionary<string, string>? Data { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
