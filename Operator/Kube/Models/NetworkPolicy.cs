using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>networking.k8s.io/v1 NetworkPolicy (the quarantine controller writes deny-all policies, netpol-01).
/// Deny-all is policyTypes [Ingress, Egress] with no rules; the server omits empty ingress/egress lists in responses.</summary>
public sealed class NetworkPolicy : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "networking.k8s.io/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "NetworkPolicy";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public NetworkPolicySpec? Spec { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NetworkPolicySpec
{
    [JsonPropertyName("podSelector")] public LabelSelector PodSelector { get; set; } = new();
    /// <summary>"Ingress" and/or "Egress". Without it the server fills in ["Ingress"] (+ "Egress" if egress rules exist).</summary>
    [JsonPropertyName("policyTypes")] public List<string>? PolicyTypes { get; set; }
    [JsonPropertyName("ingress")] public List<NetworkPolicyIngressRule>? Ingress { get; set; }
    [JsonPropertyName("egress")] public List<NetworkPolicyEgressRule>? Egress { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NetworkPolicyIngressRule
{
    [JsonPropertyName("from")] public List<NetworkPolicyPeer>? From { get; set; }
    [JsonPropertyName("ports")] public List<NetworkPolicyPort>? Ports { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NetworkPolicyEgressRule
{
    [JsonPropertyName("to")] public List<NetworkPolicyPeer>? To { get; set; }
    [JsonPropertyName("ports")] public List<NetworkPolicyPort>? Ports { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NetworkPolicyPeer
{
    [JsonPropertyName("podSelector")] public LabelSelector? PodSelector { get; set; }
    [JsonPropertyName("namespaceSelector")] public LabelSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("ipBlock")] public IpBlock? IpBlock { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class IpBlock
{
    [JsonPropertyName("cidr")] public string Cidr { get; set; } = "";
    [JsonPropertyName("except")] public List<string>? Except { get; set; }
}

/// <summary>A port is an int or a named port (IntOrString); kept as raw JSON so both forms round-trip untouched.</summary>
public sealed class NetworkPolicyPort
{
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public JsonElement? Port { get; set; }
    [JsonPropertyName("endPort")] public int? EndPort { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
