using System.Net;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Selectors;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>Answers "does traffic from A to B on port/protocol pass?" with Kubernetes NetworkPolicy semantics. A pod
/// is isolated for a direction when a policy of its namespace selects it with that policy type; an isolated pod allows
/// only what the union of those policies' rules allows; a non-isolated direction allows everything. A connection
/// passes when the source's egress and the destination's ingress both allow it (an external end has no policy of its
/// own). Rules: no peers = any peer, no ports = any port; a named port is looked up in the destination pod's named
/// ports; ipBlock matches the endpoint's IP (outside the except ranges) — for pod IPs that is what most CNI plugins do,
/// although the API leaves it to the implementation. Invalid policies are refused at construction with every error.</summary>
public sealed class NetworkPolicyEvaluator
{
    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    private readonly ILookup<string, CompiledNetworkPolicy> _byNamespace;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels;

    /// <param name="namespaceLabels">Labels of each namespace; kubernetes.io/metadata.name is added when missing, as the
    /// API server sets it on every namespace.</param>
    public NetworkPolicyEvaluator(IEnumerable<NetworkPolicy> policies, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels = null)
    {
        var errors = new List<string>();
        var compiled = policies.Select(p => CompiledNetworkPolicy.Compile(p, errors)).ToList();
        if (errors.Count > 0) throw new ArgumentException("invalid NetworkPolicy: " + string.Join("; ", errors), nameof(policies));
        _byNamespace = compiled.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        _namespaceLabels = namespaceLabels ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
    }

    public TrafficDecision Evaluate(TrafficEndpoint source, TrafficEndpoint destination, int port, string protocol = "TCP")
    {
        var (egress, egressBy, sourceIsolated) = source.IsPod
            ? Direction(source, peer: destination, destination, port, protocol, egress: true)
            : (true, [], false);
        var (ingress, ingressBy, destinationIsolated) = destination.IsPod
            ? Direction(destination, peer: source, destination, port, protocol, egress: false)
            : (true, [], false);
        return new TrafficDecision(egress, ingress, egressBy, ingressBy, sourceIsolated, destinationIsolated);
    }

    private (bool Allowed, List<string> AllowedBy, bool Isolated) Direction(TrafficEndpoint subject, TrafficEndpoint peer,
        TrafficEndpoint destination, int port, string protocol, bool egress)
    {
        var isolated = false;
        var allowedBy = new List<string>();
        foreach (var policy in _byNamespace[subject.Namespace!])
        {
            if (!(egress ? policy.AffectsEgress : policy.AffectsIngress) || !policy.PodSelector.Matches(subject.Labels)) continue;
            isolated = true;
            foreach (var rule in egress ? policy.Egress : policy.Ingress)
                if (PeerMatches(rule, policy.Namespace, peer) && PortMatches(rule, destination, port, protocol))
                {
                    allowedBy.Add(policy.DisplayName);
                    break;
                }
        }
        return (!isolated || allowedBy.Count > 0, allowedBy, isolated);
    }

    private bool PeerMatches(CompiledRule rule, string policyNamespace, TrafficEndpoint peer)
    {
        if (rule.Peers.Length == 0) return true;
        foreach (var p in rule.Peers)
        {
            if (p.Cidr is { } cidr)
            {
                if (peer.Ip is { } ip && Contains(cidr, ip) && !p.Except.Any(e => Contains(e, ip))) return true;
                continue;
            }
            if (!peer.IsPod) continue;
            var namespaceOk = p.Namespaces is { } nsSelector
                ? nsSelector.Matches(LabelsOf(peer.Namespace!))
                : peer.Namespace == policyNamespace;
            if (namespaceOk && (p.Pods is null || p.Pods.Matches(peer.Labels))) return true;
        }
        return false;
    }

    private static bool PortMatches(CompiledRule rule, TrafficEndpoint destination, int port, string protocol)
    {
        if (rule.Ports.Length == 0) return true;
        foreach (var p in rule.Ports)
        {
            if (!string.Equals(p.Protocol, protocol, StringComparison.OrdinalIgnoreCase)) continue;
            if (p.Name is { } name)
            {
                if (destination.NamedPorts?.Any(n => n.Name == name && n.Port == port && string.Equals(n.Protocol, protocol, StringComparison.OrdinalIgnoreCase)) == true)
                    return true;
                continue;
            }
            if (p.Port is null) return true;
            if (port >= p.Port && port <= (p.EndPort ?? p.Port)) return true;
        }
        return false;
    }

    private static bool Contains(IPNetwork network, IPAddress ip) =>
        network.BaseAddress.AddressFamily == ip.AddressFamily && network.Contains(ip);

    private IReadOnlyDictionary<string, string> LabelsOf(string ns)
    {
        if (_namespaceLabels.TryGetValue(ns, out var labels) && labels.ContainsKey(NamespaceNameLabel)) return labels;
        var withName = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [NamespaceNameLabel] = ns };
        return withName;
    }
}
