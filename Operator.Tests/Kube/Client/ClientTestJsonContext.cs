using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>A custom resource without a model (the SecurityPolicy of crd-02): metadata plus everything else kept raw.</summary>
public sealed class UntypedObject : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UntypedObject))]
public sealed partial class ClientTestJsonContext : JsonSerializerContext;
