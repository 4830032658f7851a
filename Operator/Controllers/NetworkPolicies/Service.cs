using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>core/v1 Service: the fields that map a ClusterIP and port to the pods behind it (selector, targetPort).</summary>
public sealed class Service : IKubeObject
{
    public static readonly KubeResource Resource = new("", "v1", "services", "Service", true);

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Service";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceSpec? Spec { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ServiceSpec
{
    [JsonPropertyName("clusterIP")] public string? ClusterIp { get; set; }
    [JsonPropertyName("clusterIPs")] public List<string>? ClusterIps { get; set; }
    [JsonPropertyName("selector")] public Dictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("ports")] public List<ServicePort>? Ports { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ServicePort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    /// <summary>A number or the name of a container port; absent: the same as <see cref="Port"/>.</summary>
    [JsonPropertyName("targetPort")] public JsonElement? TargetPort { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Source-generated JSON metadata for Service.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubeList<Service>))]
public sealed partial class ServiceJsonContext : JsonSerializerContext;
