using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>core/v1 Pod: the fields the policy engine, node agent and controllers read. Everything else is kept in
/// <see cref="Extra"/> on each level, so a read-modify-write round trip never drops fields.</summary>
public sealed class Pod : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Pod";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public PodSpec? Spec { get; set; }
    [JsonPropertyName("status")] public PodStatus? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PodSpec
{
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("serviceAccountName")] public string? ServiceAccountName { get; set; }
    [JsonPropertyName("hostNetwork")] public bool? HostNetwork { get; set; }
    [JsonPropertyName("hostPID")] public bool? HostPid { get; set; }
    [JsonPropertyName("hostIPC")] public bool? HostIpc { get; set; }
    [JsonPropertyName("securityContext")] public PodSecurityContext? SecurityContext { get; set; }
    /// <summary>Null only in watch BOOKMARK skeletons ("containers": null, watch-01); real pods always have one.</summary>
    [JsonPropertyName("containers")] public List<Container>? Containers { get; set; }
    [JsonPropertyName("initContainers")] public List<Container>? InitContainers { get; set; }
    [JsonPropertyName("ephemeralContainers")] public List<Container>? EphemeralContainers { get; set; }
    [JsonPropertyName("volumes")] public List<Volume>? Volumes { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>core/v1 Container (also the shape of EphemeralContainer for the fields read here).</summary>
public sealed class Container
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("securityContext")] public SecurityContext? SecurityContext { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>core/v1 PodSecurityContext: the pod-level fields Pod Security Standards look at.</summary>
public sealed class PodSecurityContext
{
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("runAsGroup")] public long? RunAsGroup { get; set; }
    [JsonPropertyName("seccompProfile")] public SeccompProfile? SeccompProfile { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>core/v1 SecurityContext (container level).</summary>
public sealed class SecurityContext
{
    [JsonPropertyName("privileged")] public bool? Privileged { get; set; }
    [JsonPropertyName("allowPrivilegeEscalation")] public bool? AllowPrivilegeEscalation { get; set; }
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("readOnlyRootFilesystem")] public bool? ReadOnlyRootFilesystem { get; set; }
    [JsonPropertyName("capabilities")] public Capabilities? Capabilities { get; set; }
    [JsonPropertyName("seccompProfile")] public SeccompProfile? SeccompProfile { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Capabilities
{
    [JsonPropertyName("add")] public List<string>? Add { get; set; }
    [JsonPropertyName("drop")] public List<string>? Drop { get; set; }
}

public sealed class SeccompProfile
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("localhostProfile")] public string? LocalhostProfile { get; set; }
}

/// <summary>core/v1 Volume: the name and, for host path checks, hostPath; every other source stays in <see cref="Extra"/>.</summary>
public sealed class Volume
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("hostPath")] public HostPathVolumeSource? HostPath { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class HostPathVolumeSource
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("type")] public string? Type { get; set; }
}
