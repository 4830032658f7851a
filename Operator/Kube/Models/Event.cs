using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>events.k8s.io/v1 Event. The server requires eventTime (MicroTime), reportingController, reportingInstance,
/// action, reason and type Normal|Warning, and rejects a generateName like "web-0." (events-01).</summary>
public sealed class Event : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "events.k8s.io/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Event";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    /// <summary>Null on events created through core/v1 (events-01 request 6).</summary>
    [JsonPropertyName("eventTime"), JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? EventTime { get; set; }
    [JsonPropertyName("series")] public EventSeries? Series { get; set; }
    [JsonPropertyName("reportingController")] public string? ReportingController { get; set; }
    [JsonPropertyName("reportingInstance")] public string? ReportingInstance { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("regarding")] public ObjectReference? Regarding { get; set; }
    [JsonPropertyName("related")] public ObjectReference? Related { get; set; }
    [JsonPropertyName("note")] public string? Note { get; set; }
    /// <summary>"Normal" or "Warning".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>events.k8s.io/v1 EventSeries: set when the same event repeats (count and the last time it was seen).</summary>
public sealed class EventSeries
{
    [JsonPropertyName("count")] public int Count { get; set; }
    [JsonPropertyName("lastObservedTime"), JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset LastObservedTime { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
