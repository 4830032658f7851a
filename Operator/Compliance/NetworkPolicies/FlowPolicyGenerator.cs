using System.Net;
using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>A generated policy with the observed flows it admits.</summary>
public sealed record GeneratedPolicy(NetworkPolicy Policy, IReadOnlyList<FlowRecord> AdmittedFlows);

/// <summary>Result of generation: the policies, and the observed flows the evaluator found NOT allowed by them
/// together with the other policies given (empty when the generation is safe to apply).</summary>
public sealed record FlowPolicyPlan(IReadOnlyList<GeneratedPolicy> Policies, IReadOnlyList<FlowRecord> BlockedFlows);

/// <summary>Least-privilege allow policies from observed flows, one per workload (name
/// <c>security-operator-flows-KIND-NAME</c>): egress rules for what the workload connected to, ingress rules for what
/// connected to it. Pods are selected by their stable labels (<see cref="StableLabels"/>), other namespaces by
/// <c>kubernetes.io/metadata.name</c>, addresses outside the cluster by ipBlock. Peers and ports are sorted, so the same
/// flows give the same spec and the same content hash: applying again is a no-op. Before anything is applied the
/// semantics evaluator replays every flow against the generated policies plus the policies already in force.</summary>
public static class FlowPolicyGenerator
{
    public const string Purpose = "flows";
    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static FlowPolicyPlan Generate(IReadOnlyList<FlowRecord> flows, IEnumerable<NetworkPolicy> otherPolicies,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels = null, bool includeIngress = true)
    {
        var egress = new SortedDictionary<string, (FlowWorkload Workload, List<FlowRecord> Flows)>(StringComparer.Ordinal);
        var ingress = new SortedDictionary<string, (FlowWorkload Workload, List<FlowRecord> Flows)>(StringComparer.Ordinal);
        foreach (var flow in flows)
        {
            Add(egress, flow.Source, flow);
            if (includeIngress && flow.Destination.Workload is { } target) Add(ingress, target, flow);
        }
        var keys = egress.Keys.Union(ingress.Keys).Order(StringComparer.Ordinal);
        var generated = new List<GeneratedPolicy>();
        foreach (var key in keys)
        {
            var workload = egress.TryGetValue(key, out var e) ? e.Workload : ingress[key].Workload;
            var outgoing = e.Flows ?? [];
            var incoming = ingress.TryGetValue(key, out var i) ? i.Flows : [];
            var spec = new NetworkPolicySpec
            {
                PodSelector = new LabelSelector { MatchLabels = StableLabels.Of(workload.Labels) },
                PolicyTypes = [.. (incoming.Count > 0 ? ["Ingress"] : Array.Empty<string>()), .. (outgoing.Count > 0 ? ["Egress"] : Array.Empty<string>())],
                Ingress = incoming.Count == 0 ? null : Rules(incoming, f => PeerOf(f.Source))
                    .Select(r => new NetworkPolicyIngressRule { From = [r.Peer], Ports = r.Ports }).ToList(),
                Egress = outgoing.Count == 0 ? null : Rules(outgoing, f => DestinationPeerOf(f.Destination))
                    .Select(r => new NetworkPolicyEgressRule { To = [r.Peer], Ports = r.Ports }).ToList(),
            };
            var name = PolicyName(workload);
            generated.Add(new GeneratedPolicy(ManagedNetworkPolicy.Create(workload.Namespace, name, Purpose, spec), [.. outgoing.Concat(incoming).Distinct()]));
        }
        var evaluator = new NetworkPolicyEvaluator(generated.Select(g => g.Policy).Concat(otherPolicies), namespaceLabels);
        var blocked = flows.Where(f => !evaluator.Evaluate(SourceOf(f), DestinationOf(f), f.Port, f.Protocol).Allowed).ToList();
        return new FlowPolicyPlan(generated, blocked);
    }

    private static void Add(SortedDictionary<string, (FlowWorkload, List<FlowRecord>)> map, FlowWorkload workload, FlowRecord flow)
    {
        var key = $"{workload.Namespace}/{workload.Kind}/{workload.Name}";
        if (!map.TryGetValue(key, out var entry)) map[key] = entry = (workload, []);
        entry.Item2.Add(flow);
    }

    private static IEnumerable<(NetworkPolicyPeer Peer, List<NetworkPolicyPort> Ports)> Rules(List<FlowRecord> flows, Func<FlowRecord, (string Key, NetworkPolicyPeer Peer)> peerOf) =>
        flows.Select(f => (Peer: peerOf(f), Port: (f.Protocol.ToUpperInvariant(), f.Port)))
            .GroupBy(x => x.Peer.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.First().Peer.Peer, g.Select(x => x.Port).Distinct().Order()
                .Select(p => new NetworkPolicyPort { Protocol = p.Item1, Port = JsonSerializer.SerializeToElement(p.Item2, KubeJsonContext.Default.Int32) }).ToList()));

    private static (string Key, NetworkPolicyPeer Peer) PeerOf(FlowWorkload workload)
    {
        var labels = StableLabels.Of(workload.Labels);
        var key = $"pod:{workload.Namespace}:{string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}";
        return (key, new NetworkPolicyPeer
        {
            NamespaceSelector = new LabelSelector { MatchLabels = new() { [NamespaceNameLabel] = workload.Namespace } },
            PodSelector = new LabelSelector { MatchLabels = labels },
        });
    }

    private static (string Key, NetworkPolicyPeer Peer) DestinationPeerOf(FlowDestination destination)
    {
        if (destination.Workload is { } workload) return PeerOf(workload);
        var cidr = destination.Cidr ?? throw new ArgumentException("a flow destination needs a workload or a cidr");
        if (!IPNetwork.TryParse(cidr, out var network)) throw new ArgumentException($"flow destination cidr \"{cidr}\" is not a CIDR");
        return ($"cidr:{network}", new NetworkPolicyPeer { IpBlock = new IpBlock { Cidr = network.ToString() } });
    }

    private static TrafficEndpoint SourceOf(FlowRecord flow) => TrafficEndpoint.Pod(flow.Source.Namespace, flow.Source.Labels);

    private static TrafficEndpoint DestinationOf(FlowRecord flow) => flow.Destination.Workload is { } w
        ? TrafficEndpoint.Pod(w.Namespace, w.Labels)
        : TrafficEndpoint.External(IPNetwork.Parse(flow.Destination.Cidr!).BaseAddress);

    /// <summary>A DNS-1123 name of at most 253 characters from the workload's kind and name.</summary>
    private static string PolicyName(FlowWorkload workload)
    {
        var name = $"security-operator-flows-{(workload.Kind ?? "pod").ToLowerInvariant()}-{workload.Name}";
        return name.Length <= 253 ? name : name[..253].TrimEnd('-', '.');
    }
}
