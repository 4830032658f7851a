using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>core/v1 ServiceAccount: whether it mounts its token by default (compliance checks) and the image pull
/// secrets its pods inherit (image signature verification). Other fields stay in <see cref="Extra"/>.</summary>
public sealed class ServiceAccount : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "ServiceAccount";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("automountServiceAccountToken")] public bool? AutomountServiceAccountToken { get; set; }
    [JsonPropertyName("imagePullSecrets")] public List<LocalObjectReference>? ImagePullSecrets { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>core/v1 LocalObjectReference: a name in the same namespace.</summary>
public sealed class LocalObjectReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}
