using System.Collections.Concurrent;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Attribution;

/// <summary>The pods of this node by container ID (status.*ContainerStatuses[*].containerID without its
/// "runtime://" prefix), fed by the pod informer (fieldSelector spec.nodeName), read by the event thread.</summary>
public sealed class PodDirectory : IResourceEventHandler<Pod>
{
    private readonly ConcurrentDictionary<string, PodContainer> _byContainerId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _containerIdsByPod = new(StringComparer.Ordinal);

    public int Count => _byContainerId.Count;

    public PodContainer? Find(string containerId) => _byContainerId.GetValueOrDefault(containerId);

    public void OnAdd(Pod obj) => Index(obj);

    public void OnUpdate(Pod oldObj, Pod newObj) => Index(newObj);

    public void OnDelete(Pod obj)
    {
        if (_containerIdsByPod.TryRemove(Key(obj), out var ids))
            foreach (var id in ids) _byContainerId.TryRemove(id, out _);
    }

    private void Index(Pod pod)
    {
        var ids = new List<string>();
        var status = pod.Status;
        foreach (var list in new[] { status?.ContainerStatuses, status?.InitContainerStatuses, status?.EphemeralContainerStatuses })
        {
            if (list is null) continue;
            foreach (var container in list)
            {
                if (StripRuntime(container.ContainerId) is not { } id) continue;
                ids.Add(id);
                _byContainerId[id] = new PodContainer(pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "", pod.Metadata.Uid ?? "",
                    container.Name, container.Image);
            }
        }
        // Containers replaced by a restart disappear from the status: drop their old ids.
        if (_containerIdsByPod.TryGetValue(Key(pod), out var previous))
            foreach (var old in previous.Except(ids)) _byContainerId.TryRemove(old, out _);
        _containerIdsByPod[Key(pod)] = [.. ids];
    }

    /// <summary>"containerd://4f3c…" → "4f3c…"; null for an empty ID (a container not started yet).</summary>
    public static string? StripRuntime(string? containerId)
    {
        if (string.IsNullOrEmpty(containerId)) return null;
        var separator = containerId.IndexOf("://", StringComparison.Ordinal);
        var id = separator < 0 ? containerId : containerId[(separator + 3)..];
        return id.Length == 0 ? null : id;
    }

    private static string Key(Pod pod) => pod.Metadata.Uid ?? $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";
}
