using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Admission.Certificates;

/// <summary>admissionregistration.k8s.io/v1 Validating- or MutatingWebhookConfiguration, read only for the webhook
/// names and their clientConfig.caBundle (written back by JSON patch, never by PUT).</summary>
public sealed class WebhookConfiguration : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("webhooks")] public List<WebhookEntry>? Webhooks { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class WebhookEntry
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("clientConfig")] public WebhookClientConfig? ClientConfig { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class WebhookClientConfig
{
    /// <summary>PEM CA bundle, base64 in JSON (adm-00).</summary>
    [JsonPropertyName("caBundle")] public byte[]? CaBundle { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
