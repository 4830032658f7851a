using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>policy/v1 Eviction, POSTed to pods/NAME/eviction. The server answers 201 with a Status (pods-11).</summary>
public sealed class Eviction
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "policy/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Eviction";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("deleteOptions")] public DeleteOptions? DeleteOptions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
