using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>security.io/v1 NetworkFlowReport: the bounded form in which a node agent publishes the connections it
/// observed from one namespace's pods (one object per namespace and node, named after the node). CRD:
/// manifests/crds/security.io_networkflowreports.yaml.</summary>
public sealed class NetworkFlowReport : IKubeObject
{
    /// <summary>At most this many flows per report (the CRD's maxItems): a report stays far below etcd's 1.5 MiB limit.</summary>
    public const int MaxFlows = 1000;

    public static readonly KubeResource Resource = new("security.io", "v1", "networkflowreports", "NetworkFlowReport", true);

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "security.io/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "NetworkFlowReport";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public NetworkFlowReportSpec Spec { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NetworkFlowReportSpec
{
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("windowStart"), JsonConverter(typeof(KubeTimeConverter))] public DateTimeOffset? WindowStart { get; set; }
    [JsonPropertyName("windowEnd"), JsonConverter(typeof(KubeTimeConverter))] public DateTimeOffset? WindowEnd { get; set; }
    [JsonPropertyName("flows")] public List<FlowRecord> Flows { get; set; } = [];
    /// <summary>Distinct flows left out because the report was full (the least recently seen are dropped first).</summary>
    [JsonPropertyName("droppedFlows")] public long? DroppedFlows { get; set; }
}

/// <summary>Connections aggregated per (source workload, destination, port, protocol) with a count and the last time seen.</summary>
public sealed class FlowRecord
{
    [JsonPropertyName("source")] public FlowWorkload Source { get; set; } = new();
    [JsonPropertyName("destination")] public FlowDestination Destination { get; set; } = new();
    [JsonPropertyName("port")] public int Port { get; set; }
    /// <summary>TCP, UDP or SCTP.</summary>
    [JsonPropertyName("protocol")] public string Protocol { get; set; } = "TCP";
    [JsonPropertyName("count")] public long Count { get; set; }
    [JsonPropertyName("lastSeen"), JsonConverter(typeof(KubeTimeConverter))] public DateTimeOffset? LastSeen { get; set; }
}

/// <summary>A workload: namespace, owning controller (kind and name) and the pods' labels.</summary>
public sealed class FlowWorkload
{
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("labels")] public Dictionary<string, string> Labels { get; set; } = [];
}

/// <summary>Either a workload in the cluster or an address outside it (<see cref="Cidr"/>, a /32 or /128 for one address).</summary>
public sealed class FlowDestination
{
    [JsonPropertyName("workload")] public FlowWorkload? Workload { get; set; }
    [JsonPropertyName("cidr")] public string? Cidr { get; set; }
}

/// <summary>Source-generated JSON metadata for NetworkFlowReport.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkFlowReport))]
[JsonSerializable(typeof(KubeList<NetworkFlowReport>))]
public sealed partial class FlowJsonContext : JsonSerializerContext;
