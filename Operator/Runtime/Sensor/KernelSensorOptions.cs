namespace SecurityOperator.Runtime.Sensor;

/// <summary>How the kernel side is set up. Defaults and where they come from are on each property.</summary>
public sealed record KernelSensorOptions
{
    /// <summary>Only processes in cgroups below <see cref="ContainerRoots"/> produce events (filtered in the kernel).
    /// Default true: the agent protects containers, and host processes are the bulk of a node's syscalls.</summary>
    public bool FilterContainers { get; init; } = true;

    /// <summary>cgroup v2 directories whose descendants are containers (at most 4). Default: the kubelet's
    /// top-level cgroups that exist on this host, see <see cref="ContainerRootDiscovery"/>.</summary>
    public IReadOnlyList<string> ContainerRoots { get; init; } = [];

    /// <summary>Ring buffer size in bytes (a power of two, multiple of the page size). 8 MiB holds ~25,000 records:
    /// 0.1 s of the 250,000 events/s target, well above one poll interval.</summary>
    public uint RingBufferBytes { get; init; } = 8 << 20;

    /// <summary>Wake the reader once this much is pending. 256 KiB ≈ 800 records: about 1/32 of the buffer, so a burst
    /// is drained long before the buffer fills, while a steady trickle costs no wakeup per record.</summary>
    public uint WakeupBytes { get; init; } = 256 << 10;

    /// <summary>The agent's own pid, never traced (0: trace everything). Default: this process.</summary>
    public uint SelfPid { get; init; } = (uint)Environment.ProcessId;

    /// <summary>cgroup directories on which connects to denied destinations get EPERM (cgroup/connect4/6 attach).
    /// Default: none; the node role attaches to the container roots when a block rule exists.</summary>
    public IReadOnlyList<string> BlockConnectCgroups { get; init; } = [];

    /// <summary>Where cgroup v2 is mounted; null: found in /proc/self/mountinfo.</summary>
    public string? CgroupV2Mount { get; init; }
}
