using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>coordination.k8s.io/v1 Lease, used for leader election (coord-01). The times are MicroTime.</summary>
public sealed class Lease : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Lease";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public LeaseSpec? Spec { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity")] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds")] public int? LeaseDurationSeconds { get; set; }
    [JsonPropertyName("acquireTime"), JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? AcquireTime { get; set; }
    [JsonPropertyName("renewTime"), JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? RenewTime { get; set; }
    [JsonPropertyName("leaseTransitions")] public int? LeaseTransitions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
