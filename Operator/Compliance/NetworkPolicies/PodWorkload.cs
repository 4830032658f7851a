using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>The workload a pod belongs to, from what the pod itself says (no lookup of its owners): its controller
/// owner reference, with a ReplicaSet named <c>DEPLOYMENT-HASH</c> (HASH = the pod's pod-template-hash label, the name
/// the Deployment controller gives its ReplicaSets) taken as the Deployment; no controller: the pod itself (kind Pod).
/// Labels are the pod's stable labels. Used by the node agent for flow sources and by the controller for destinations.</summary>
public static class PodWorkload
{
    public static FlowWorkload Of(Pod pod)
    {
        var ns = pod.Metadata.Namespace ?? "";
        var labels = StableLabels.Of(pod.Metadata.Labels ?? new Dictionary<string, string>());
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null) return new FlowWorkload { Namespace = ns, Kind = "Pod", Name = pod.Metadata.Name ?? "", Labels = labels };
        if (owner.Kind == "ReplicaSet" && pod.Metadata.Labels?.GetValueOrDefault("pod-template-hash") is { Length: > 0 } hash
            && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal) && owner.Name.Length > hash.Length + 1)
            return new FlowWorkload { Namespace = ns, Kind = "Deployment", Name = owner.Name[..^(hash.Length + 1)], Labels = labels };
        return new FlowWorkload { Namespace = ns, Kind = owner.Kind, Name = owner.Name, Labels = labels };
    }

    /// <summary>Pods on the host network share the node's address and are not subject to NetworkPolicy.</summary>
    public static bool UsesHostNetwork(Pod pod) => pod.Spec?.HostNetwork == true;

    /// <summary>status.podIPs (every address of a dual-stack pod), else status.podIP.</summary>
    public static IEnumerable<string> Addresses(Pod pod)
    {
        var status = pod.Status;
        if (status?.Extra?.GetValueOrDefault("podIPs") is { ValueKind: JsonValueKind.Array } list)
        {
            var any = false;
            foreach (var item in list.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ip", out var ip) && ip.GetString() is { Length: > 0 } text)
                {
                    any = true;
                    yield return text;
                }
            if (any) yield break;
        }
        if (status?.PodIp is { Length: > 0 } single) yield return single;
    }
}
