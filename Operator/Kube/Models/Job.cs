using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>batch/v1 Job: metadata for ownership and revisions; spec and status stay raw JSON, since the policy engine reads
/// the pod template from the object's bytes and nothing here edits them.</summary>
public sealed class Job : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "batch/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Job";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public JsonElement? Spec { get; set; }
    [JsonPropertyName("status")] public JsonElement? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
