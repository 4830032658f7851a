using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>core/v1 Namespace. Spec and status (finalizers, phase) are not read by the operator and stay in <see cref="Extra"/>.</summary>
public sealed class Namespace : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Namespace";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
