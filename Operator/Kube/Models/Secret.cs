using System.Text.Json;
using System.Text.Json.Serialization;
namespace SecurityOperator.Kube.Models;

/// <summary>core/v1 Secret: data values are base64 in JSON (byte[] here). Fields not modelled survive a read-modify-PUT
/// through <see cref="Extra"/>.</summary>
public sealed class Secret : IKubeObject
{
    public const string TlsType = "kubernetes.io/tls";

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Secret";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("data")] public Dictionary<string, byte[]>? Data { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
