using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>core/v1 PodStatus: phase and addresses, and container statuses (the node agent maps containerID to pod).</summary>
public sealed class PodStatus
{
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("podIP")] public string? PodIp { get; set; }
    [JsonPropertyName("hostIP")] public string? HostIp { get; set; }
    [JsonPropertyName("containerStatuses")] public List<ContainerStatus>? ContainerStatuses { get; set; }
    [JsonPropertyName("initContainerStatuses")] public List<ContainerStatus>? InitContainerStatuses { get; set; }
    [JsonPropertyName("ephemeralContainerStatuses")] public List<ContainerStatus>? EphemeralContainerStatuses { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ContainerStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    /// <summary>"containerd://&lt;64 hex&gt;" once the container exists.</summary>
    [JsonPropertyName("containerID")] public string? ContainerId { get; set; }
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("imageID")] public string? ImageId { get; set; }
    [JsonPropertyName("ready")] public bool? Ready { get; set; }
    [JsonPropertyName("restartCount")] public int? RestartCount { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
