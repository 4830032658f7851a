using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.Status: the body of every API error, of a successful DELETE of some kinds (custom resources, Leases),
/// of a successful Eviction (201), and of a watch ERROR event.</summary>
public sealed class Status
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ListMeta? Metadata { get; set; }
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")] public string? Outcome { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("details")] public StatusDetails? Details { get; set; }
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore] public bool IsSuccess => Outcome == "Success";
}

/// <summary>metav1.StatusDetails. <see cref="Kind"/> is often the resource plural ("pods"), not the Kind (see errors-403).</summary>
public sealed class StatusDetails
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("causes")] public List<StatusCause>? Causes { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int? RetryAfterSeconds { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>metav1.StatusCause: one field error of a 422, or the DisruptionBudget cause of an Eviction 429.</summary>
public sealed class StatusCause
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("field")] public string? Field { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
