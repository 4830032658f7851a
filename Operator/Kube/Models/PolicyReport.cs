using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>wgpolicyk8s.io/v1alpha2 PolicyReport (namespaced) from the Policy Report working group, the format Kyverno
/// and kube-bench adapters publish. Not recorded in the transcripts (its CRD was not installed; the group 404s as text/plain).</summary>
public sealed class PolicyReport : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "wgpolicyk8s.io/v1alpha2";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "PolicyReport";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("scope")] public ObjectReference? Scope { get; set; }
    [JsonPropertyName("scopeSelector")] public LabelSelector? ScopeSelector { get; set; }
    [JsonPropertyName("summary")] public PolicyReportSummary? Summary { get; set; }
    [JsonPropertyName("results")] public List<PolicyReportResult>? Results { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>wgpolicyk8s.io/v1alpha2 ClusterPolicyReport: the cluster-scoped twin of <see cref="PolicyReport"/>.</summary>
public sealed class ClusterPolicyReport : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "wgpolicyk8s.io/v1alpha2";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "ClusterPolicyReport";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("scope")] public ObjectReference? Scope { get; set; }
    [JsonPropertyName("scopeSelector")] public LabelSelector? ScopeSelector { get; set; }
    [JsonPropertyName("summary")] public PolicyReportSummary? Summary { get; set; }
    [JsonPropertyName("results")] public List<PolicyReportResult>? Results { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Counts of results by outcome.</summary>
public sealed class PolicyReportSummary
{
    [JsonPropertyName("pass")] public int Pass { get; set; }
    [JsonPropertyName("fail")] public int Fail { get; set; }
    [JsonPropertyName("warn")] public int Warn { get; set; }
    [JsonPropertyName("error")] public int Error { get; set; }
    [JsonPropertyName("skip")] public int Skip { get; set; }
}

public sealed class PolicyReportResult
{
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("policy")] public string Policy { get; set; } = "";
    [JsonPropertyName("rule")] public string? Rule { get; set; }
    [JsonPropertyName("category")] public string? Category { get; set; }
    /// <summary>"pass", "fail", "warn", "error" or "skip".</summary>
    [JsonPropertyName("result")] public string? Result { get; set; }
    /// <summary>"critical", "high", "medium", "low" or "info".</summary>
    [JsonPropertyName("severity")] public string? Severity { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("scored")] public bool? Scored { get; set; }
    [JsonPropertyName("resources")] public List<ObjectReference>? Resources { get; set; }
    [JsonPropertyName("timestamp")] public ProtobufTimestamp? Timestamp { get; set; }
    [JsonPropertyName("properties")] public Dictionary<string, string>? Properties { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The protobuf Timestamp shape the PolicyReport CRD uses ({seconds, nanos}), not an RFC3339 string.</summary>
public sealed class ProtobufTimestamp
{
    [JsonPropertyName("seconds")] public long Seconds { get; set; }
    [JsonPropertyName("nanos")] public int Nanos { get; set; }

    public static ProtobufTimestamp From(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new ProtobufTimestamp
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest),
            Nanos = (int)(rest * 100),
        };
    }

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks(Seconds * TimeSpan.TicksPerSecond + Nanos / 100);
}
