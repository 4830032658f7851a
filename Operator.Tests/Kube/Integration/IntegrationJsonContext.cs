using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>A custom resource the product has no model for yet (the SecurityPolicy of crd-02): metadata typed, the rest kept.</summary>
public sealed class CustomObject : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CustomObject))]
[JsonSerializable(typeof(KubeList<CustomObject>))]
public sealed partial class IntegrationJsonContext : JsonSerializerContext;
