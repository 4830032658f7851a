namespace SecurityOperator.Runtime.Attribution;

/// <summary>What a cgroup path says about a container: the pod's UID (dashed, as in metadata.uid), the container ID
/// (64 hex characters, as in status.containerStatuses[*].containerID after "runtime://"), the runtime that the path's
/// prefix names, and the pod's QoS class.</summary>
public sealed record ContainerRef(string PodUid, string ContainerId, string Runtime, string QosClass)
{
    /// <summary>Stands for "not in a container" when host events are kept (--node-keep-host-events).</summary>
    public static readonly ContainerRef Host = new("", "", "host", "");
}
