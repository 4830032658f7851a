using System.Text.Json.Serialization;

namespace SecurityOperator.Controllers.Notify;

/// <summary>The JSON body POSTed to --notify-url for one finding (docs/controller.md, "Notify"). <see cref="Schema"/>
/// names the format's version; fields are only ever added within a version.</summary>
public sealed record NotifyMessage
{
    public const string CurrentSchema = "security.io/notify/v1";

    [JsonPropertyName("schema")] public string Schema { get; init; } = CurrentSchema;
    /// <summary>Stable per finding (hex SHA-256 prefix of its key): the same finding notified again has the same id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>When the controller first saw the finding (RFC 3339 UTC, seconds, as Kubernetes writes times).</summary>
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("controller")] public required NotifyController Controller { get; init; }
    [JsonPropertyName("policy")] public required NotifyPolicy Policy { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }
    /// <summary>high, medium or low, as in the PolicyReport.</summary>
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    /// <summary>What the rule does with a violation: deny or alert.</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
    /// <summary>enforce, warn or dryrun.</summary>
    [JsonPropertyName("enforcementMode")] public required string EnforcementMode { get; init; }
    /// <summary>The notify action's channels (where the receiver should route the message; the compiler requires at least one).</summary>
    [JsonPropertyName("channels")] public required IReadOnlyList<string> Channels { get; init; }
    [JsonPropertyName("object")] public required NotifyObject Object { get; init; }
    [JsonPropertyName("container")] public string? Container { get; init; }
    /// <summary>Field path relative to the pod (spec.containers[0].securityContext.privileged).</summary>
    [JsonPropertyName("field")] public required string Field { get; init; }
    [JsonPropertyName("condition")] public required string Condition { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

public sealed record NotifyController(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instance")] string Instance);

public sealed record NotifyPolicy(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name);

/// <summary>The reported object: the top-level workload, or the bare pod.</summary>
public sealed record NotifyObject(
    [property: JsonPropertyName("apiVersion")] string ApiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string? Uid);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotifyMessage))]
internal sealed partial class NotifyJsonContext : JsonSerializerContext;
