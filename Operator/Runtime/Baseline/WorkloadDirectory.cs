using System.Collections.Concurrent;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>The workload of each pod of this node by pod UID, fed by the node's pod informer next to the
/// <see cref="Attribution.PodDirectory"/>, read by the event thread.</summary>
public sealed class WorkloadDirectory : IResourceEventHandler<Pod>
{
    private readonly ConcurrentDictionary<string, WorkloadRef> _byPodUid = new(StringComparer.Ordinal);

    public WorkloadRef? Find(string podUid) => _byPodUid.GetValueOrDefault(podUid);

    public void OnAdd(Pod obj) => Index(obj);

    public void OnUpdate(Pod oldObj, Pod newObj) => Index(newObj);

    public void OnDelete(Pod obj)
    {
        if (obj.Metadata.Uid is { } uid) _byPodUid.TryRemove(uid, out _);
    }

    private void Index(Pod pod)
    {
        if (pod.Metadata.Uid is not { } uid) return;
        var workload = WorkloadOwner.Of(pod);
        // Keep the instance when nothing changed: the event thread caches by reference.
        if (!_byPodUid.TryGetValue(uid, out var known) || known != workload) _byPodUid[uid] = workload;
    }
}
