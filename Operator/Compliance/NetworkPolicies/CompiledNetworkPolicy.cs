using System.Net;
using System.Text.Json;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Selectors;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>A NetworkPolicy with its selectors compiled and its defaults applied (policyTypes: Ingress, plus Egress
/// when egress rules are present, as the API server defaults it).</summary>
internal sealed class CompiledNetworkPolicy
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required CompiledLabelSelector PodSelector { get; init; }
    public required bool AffectsIngress { get; init; }
    public required bool AffectsEgress { get; init; }
    public required CompiledRule[] Ingress { get; init; }
    public required CompiledRule[] Egress { get; init; }

    public string DisplayName => $"{Namespace}/{Name}";

    public static CompiledNetworkPolicy Compile(NetworkPolicy policy, List<string> errors)
    {
        var ns = policy.Metadata.Namespace ?? "default";
        var path = $"NetworkPolicy {ns}/{policy.Metadata.Name}: spec";
        var spec = policy.Spec ?? new NetworkPolicySpec();
        var types = spec.PolicyTypes is { Count: > 0 } given ? given : spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"];
        foreach (var type in types)
            if (type is not ("Ingress" or "Egress")) errors.Add($"{path}.policyTypes: \"{type}\" is not Ingress or Egress");
        return new CompiledNetworkPolicy
        {
            Namespace = ns,
            Name = policy.Metadata.Name ?? "",
            PodSelector = Selector(spec.PodSelector, $"{path}.podSelector", errors) ?? CompiledLabelSelector.Everything,
            AffectsIngress = types.Contains("Ingress"),
            AffectsEgress = types.Contains("Egress"),
            Ingress = (spec.Ingress ?? []).Select((r, i) => CompiledRule.Compile(r.From, r.Ports, $"{path}.ingress[{i}]", "from", errors)).ToArray(),
            Egress = (spec.Egress ?? []).Select((r, i) => CompiledRule.Compile(r.To, r.Ports, $"{path}.egress[{i}]", "to", errors)).ToArray(),
        };
    }

    internal static CompiledLabelSelector? Selector(LabelSelector? selector, string path, List<string> errors) =>
        selector is null ? null : CompiledLabelSelector.Compile(selector, path, errors);
}

/// <summary>One ingress or egress rule: peers (empty = every peer) and ports (empty = every port).</summary>
internal sealed record CompiledRule(CompiledPeer[] Peers, CompiledPort[] Ports)
{
    public static CompiledRule Compile(List<NetworkPolicyPeer>? peers, List<NetworkPolicyPort>? ports, string path, string peerField, List<string> errors) =>
        new((peers ?? []).Select((p, i) => CompiledPeer.Compile(p, $"{path}.{peerField}[{i}]", errors)).ToArray(),
            (ports ?? []).Select((p, i) => CompiledPort.Compile(p, $"{path}.ports[{i}]", errors)).ToArray());
}

/// <summary>A peer: podSelector and/or namespaceSelector (both in one peer: pods matching the first in namespaces
/// matching the second; podSelector alone: the policy's own namespace), or an ipBlock with exceptions.</summary>
internal sealed record CompiledPeer(CompiledLabelSelector? Pods, CompiledLabelSelector? Namespaces, IPNetwork? Cidr, IPNetwork[] Except)
{
    public static CompiledPeer Compile(NetworkPolicyPeer peer, string path, List<string> errors)
    {
        IPNetwork? cidr = null;
        var except = new List<IPNetwork>();
        if (peer.IpBlock is { } block)
        {
            if (peer.PodSelector is not null || peer.NamespaceSelector is not null)
                errors.Add($"{path}: ipBlock may not be combined with podSelector or namespaceSelector");
            if (IPNetwork.TryParse(block.Cidr, out var network)) cidr = network;
            else errors.Add($"{path}.ipBlock.cidr: \"{block.Cidr}\" is not a CIDR");
            foreach (var (text, i) in (block.Except ?? []).Select((t, i) => (t, i)))
                if (IPNetwork.TryParse(text, out var hole)) except.Add(hole);
                else errors.Add($"{path}.ipBlock.except[{i}]: \"{text}\" is not a CIDR");
        }
        else if (peer.PodSelector is null && peer.NamespaceSelector is null)
            errors.Add($"{path}: a peer needs podSelector, namespaceSelector or ipBlock");
        return new CompiledPeer(CompiledNetworkPolicy.Selector(peer.PodSelector, $"{path}.podSelector", errors),
            CompiledNetworkPolicy.Selector(peer.NamespaceSelector, $"{path}.namespaceSelector", errors), cidr, [.. except]);
    }
}

/// <summary>A port: protocol (TCP when omitted), a number with optional endPort, a name, or none (every port).</summary>
internal sealed record CompiledPort(string Protocol, int? Port, int? EndPort, string? Name)
{
    public static CompiledPort Compile(NetworkPolicyPort port, string path, List<string> errors)
    {
        var protocol = port.Protocol ?? "TCP";
        if (protocol is not ("TCP" or "UDP" or "SCTP")) errors.Add($"{path}.protocol: \"{protocol}\" is not TCP, UDP or SCTP");
        if (port.Port is not { } value) return new(protocol, null, null, null);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return new(protocol, number, port.EndPort, null);
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } name)
        {
            if (port.EndPort is not null) errors.Add($"{path}.endPort: may not be used with a named port");
            return new(protocol, null, null, name);
        }
        errors.Add($"{path}.port: must be a number or a port name");
        return new(protocol, null, null, null);
    }
}
