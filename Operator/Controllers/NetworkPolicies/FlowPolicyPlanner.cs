using System.Net;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>What flow-based generation decides for the whole cluster in one pass.</summary>
/// <param name="Apply">Per namespace in enforce mode (and not held back): the generated policies to bring in force.</param>
/// <param name="Audit">Per namespace in audit mode: what would be applied, with the flows each admits.</param>
/// <param name="Held">Namespaces in enforce mode left as they are, with the observed flows the plan would block.</param>
/// <param name="Unlabelled">Flows left out because an end is a workload without stable labels (a selector on no
/// labels would select every pod of the namespace).</param>
public sealed record FlowPolicyDecision(
    IReadOnlyDictionary<string, IReadOnlyList<GeneratedPolicy>> Apply,
    IReadOnlyDictionary<string, IReadOnlyList<GeneratedPolicy>> Audit,
    IReadOnlyDictionary<string, IReadOnlyList<FlowRecord>> Held,
    IReadOnlyList<FlowRecord> Unlabelled);

/// <summary>Turns the nodes' NetworkFlowReports into generated policies per namespace mode. Destinations published
/// as a single address are resolved to the workload of the pod that has it (the node only knows its own pods), or, for
/// a Service's ClusterIP, to the backend workloads and target port; flows from several nodes are merged. Only flows with an end in a namespace labelled security.io/zero-trust take part
/// (and those with an unlabelled workload at an end are checked but generate nothing).
/// The semantics evaluator then replays every such flow twice, against the policies in force now and against the
/// planned state (the policies not made by flow generation, plus the generated ones of enforce namespaces): a flow
/// allowed now but blocked by the plan holds back every enforce namespace it touches.</summary>
public static class FlowPolicyPlanner
{
    /// <summary>Annotation on a generated policy listing the observed flows it admits (one per line).</summary>
    public const string AdmittedFlowsAnnotation = "security.io/admitted-flows";

    /// <summary>At most this many flows are listed in the annotation (the rest are counted): annotations of one object
    /// must stay below 256 KiB in total, and a line is under 200 bytes.</summary>
    public const int MaxListedFlows = 200;

    public static FlowPolicyDecision Plan(IEnumerable<NetworkFlowReport> reports, Func<string, Pod?> podByAddress,
        IReadOnlyDictionary<string, ZeroTrustPolicies.Mode> modes, IReadOnlyList<NetworkPolicy> current,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels, ServiceBackends? services = null)
    {
        ZeroTrustPolicies.Mode ModeOf(string ns) => modes.GetValueOrDefault(ns, ZeroTrustPolicies.Mode.Off);
        var merged = Merge(reports, podByAddress, services ?? ServiceBackends.None);
        var observed = merged.Where(f => ModeOf(f.Source.Namespace) != ZeroTrustPolicies.Mode.Off
                                         || (f.Destination.Workload is { } w && ModeOf(w.Namespace) != ZeroTrustPolicies.Mode.Off)).ToList();
        var unlabelled = observed.Where(f => f.Source.Labels.Count == 0 || f.Destination.Workload is { Labels.Count: 0 }).ToList();
        var relevant = observed.Except(unlabelled).ToList();
        var others = current.Where(p => !IsGenerated(p)).ToList();
        var plan = FlowPolicyGenerator.Generate(relevant, others, namespaceLabels);
        var enforced = plan.Policies.Where(g => ModeOf(g.Policy.Metadata.Namespace!) == ZeroTrustPolicies.Mode.Enforce).ToList();

        var now = new NetworkPolicyEvaluator(current, namespaceLabels);
        var planned = new NetworkPolicyEvaluator(others.Concat(enforced.Select(g => g.Policy)), namespaceLabels);
        var held = new Dictionary<string, List<FlowRecord>>(StringComparer.Ordinal);
        foreach (var flow in observed)
        {
            var (source, destination) = (SourceOf(flow), DestinationOf(flow));
            if (!now.Evaluate(source, destination, flow.Port, flow.Protocol).Allowed || planned.Evaluate(source, destination, flow.Port, flow.Protocol).Allowed) continue;
            foreach (var ns in new[] { flow.Source.Namespace, flow.Destination.Workload?.Namespace }.OfType<string>().Distinct())
                if (ModeOf(ns) == ZeroTrustPolicies.Mode.Enforce)
                    (held.TryGetValue(ns, out var list) ? list : held[ns] = []).Add(flow);
        }

        foreach (var generated in plan.Policies) Annotate(generated);
        var apply = modes.Where(m => m.Value == ZeroTrustPolicies.Mode.Enforce && !held.ContainsKey(m.Key))
            .ToDictionary(m => m.Key, m => (IReadOnlyList<GeneratedPolicy>)enforced.Where(g => g.Policy.Metadata.Namespace == m.Key).ToList(), StringComparer.Ordinal);
        var audit = plan.Policies.Where(g => ModeOf(g.Policy.Metadata.Namespace!) == ZeroTrustPolicies.Mode.Audit)
            .GroupBy(g => g.Policy.Metadata.Namespace!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<GeneratedPolicy>)g.ToList(), StringComparer.Ordinal);
        return new FlowPolicyDecision(apply, audit, held.ToDictionary(h => h.Key, h => (IReadOnlyList<FlowRecord>)h.Value, StringComparer.Ordinal), unlabelled);
    }

    public static bool IsGenerated(NetworkPolicy policy) =>
        ManagedNetworkPolicy.IsManaged(policy) && policy.Metadata.Labels?.GetValueOrDefault(ManagedNetworkPolicy.PurposeLabel) == FlowPolicyGenerator.Purpose;

    /// <summary>"shop/Deployment/web -> shop/StatefulSet/db TCP/5432" or "... -> 203.0.113.7/32 TCP/443".</summary>
    public static string Describe(FlowRecord flow) =>
        $"{Name(flow.Source)} -> {(flow.Destination.Workload is { } w ? Name(w) : flow.Destination.Cidr)} {flow.Protocol}/{flow.Port}";

    private static string Name(FlowWorkload w) => $"{w.Namespace}/{w.Kind ?? "Pod"}/{w.Name}";

    /// <summary>Flows of all reports with destinations resolved (a pod's IP → its workload; a Service's ClusterIP and
    /// port → each backend workload and its target port), the same (source, destination, port, protocol) summed over nodes.</summary>
    private static List<FlowRecord> Merge(IEnumerable<NetworkFlowReport> reports, Func<string, Pod?> podByAddress, ServiceBackends services)
    {
        var merged = new Dictionary<string, FlowRecord>(StringComparer.Ordinal);
        foreach (var flow in reports.SelectMany(r => r.Spec.Flows))
        {
            var protocol = flow.Protocol.ToUpperInvariant();
            foreach (var (destination, port) in Resolve(flow, protocol, podByAddress, services))
            {
                if (destination.Workload is null && (destination.Cidr is null || !IPNetwork.TryParse(destination.Cidr, out _))) continue;
                var resolved = new FlowRecord
                {
                    Source = flow.Source, Destination = destination, Port = port, Protocol = protocol, Count = flow.Count, LastSeen = flow.LastSeen,
                };
                var key = Describe(resolved);
                if (merged.TryGetValue(key, out var existing))
                {
                    existing.Count += resolved.Count;
                    if (resolved.LastSeen > existing.LastSeen) existing.LastSeen = resolved.LastSeen;
                    continue;
                }
                merged[key] = resolved;
            }
        }
        return [.. merged.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value)];
    }

    private static IEnumerable<(FlowDestination Destination, int Port)> Resolve(FlowRecord flow, string protocol, Func<string, Pod?> podByAddress, ServiceBackends services)
    {
        if (flow.Destination.Workload is not null || flow.Destination.Cidr is not { } cidr || SingleAddress(cidr) is not { } ip)
            return [(flow.Destination, flow.Port)];
        if (podByAddress(ip) is { } pod) return [(new FlowDestination { Workload = PodWorkload.Of(pod) }, flow.Port)];
        var backends = services.Resolve(ip, flow.Port, protocol);
        if (backends.Count == 0) return [(flow.Destination, flow.Port)];
        return backends.Select(b => (Workload: PodWorkload.Of(b.Pod), b.Port))
            .DistinctBy(b => $"{b.Workload.Namespace}/{b.Workload.Kind}/{b.Workload.Name}:{b.Port}", StringComparer.Ordinal)
            .Select(b => (new FlowDestination { Workload = b.Workload }, b.Port));
    }

    private static string? SingleAddress(string cidr) =>
        IPNetwork.TryParse(cidr, out var network) && network.PrefixLength == (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            ? network.BaseAddress.ToString()
            : null;

    private static void Annotate(GeneratedPolicy generated)
    {
        var lines = generated.AdmittedFlows.Select(Describe).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = string.Join("\n", lines.Take(MaxListedFlows));
        if (lines.Count > MaxListedFlows) text += $"\n... and {lines.Count - MaxListedFlows} more";
        (generated.Policy.Metadata.Annotations ??= [])[AdmittedFlowsAnnotation] = text;
    }

    private static TrafficEndpoint SourceOf(FlowRecord flow) => TrafficEndpoint.Pod(flow.Source.Namespace, flow.Source.Labels);

    private static TrafficEndpoint DestinationOf(FlowRecord flow) => flow.Destination.Workload is { } w
        ? TrafficEndpoint.Pod(w.Namespace, w.Labels)
        : TrafficEndpoint.External(IPNetwork.Parse(flow.Destination.Cidr!).BaseAddress);
}
