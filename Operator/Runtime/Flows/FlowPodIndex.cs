using System.Net;
using System.Collections.Concurrent;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Flows;

/// <summary>This node's pods as flow endpoints, fed by the node's pod informer: by pod UID (what a cgroup path names)
/// the workload a connect comes from, by pod IP the workload a connect goes to when it is a pod of this node. Pods on
/// the host network are left out: NetworkPolicy does not apply to them and their IP is the node's.</summary>
public sealed class FlowPodIndex : IResourceEventHandler<Pod>
{
    private readonly ConcurrentDictionary<string, FlowSource> _byUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FlowSource> _byIp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _ipsByUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FlowSource> _workloads = new(StringComparer.Ordinal);

    public FlowSource? BySourceUid(string podUid) => _byUid.GetValueOrDefault(podUid);

    public FlowSource? ByAddress(string ip) => _byIp.GetValueOrDefault(ip);

    public void OnAdd(Pod obj) => Index(obj);

    public void OnUpdate(Pod oldObj, Pod newObj) => Index(newObj);

    public void OnDelete(Pod obj)
    {
        if (obj.Metadata.Uid is not { } uid) return;
        _byUid.TryRemove(uid, out _);
        if (_ipsByUid.TryRemove(uid, out var ips))
            foreach (var ip in ips) _byIp.TryRemove(ip, out _);
        // Forget workloads no pod of this node belongs to any more (each Job run of a CronJob is a new one).
        foreach (var (key, source) in _workloads)
            if (!_byUid.Values.Contains(source)) _workloads.TryRemove(key, out _);
    }

    private void Index(Pod pod)
    {
        if (pod.Metadata.Uid is not { } uid) return;
        if (PodWorkload.UsesHostNetwork(pod))
        {
            OnDelete(pod);
            return;
        }
        var workload = PodWorkload.Of(pod);
        var source = _workloads.GetOrAdd($"{workload.Namespace}/{workload.Kind}/{workload.Name}", _ => new FlowSource(workload.Namespace, workload.Kind, workload.Name));
        source.Labels = workload.Labels;
        _byUid[uid] = source;
        var ips = PodWorkload.Addresses(pod).Select(a => IPAddress.TryParse(a, out var parsed) ? parsed.ToString() : a).ToArray();
        if (_ipsByUid.TryGetValue(uid, out var previous))
            foreach (var old in previous.Except(ips)) _byIp.TryRemove(old, out _);
        foreach (var ip in ips) _byIp[ip] = source;
        _ipsByUid[uid] = ips;
    }
}
