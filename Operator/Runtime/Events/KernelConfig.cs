using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Events;

/// <summary>struct agent_config of bpf/event.h: the loader writes it into the object's .rodata before load.</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
public struct AgentConfig
{
    [FieldOffset(0)] public uint FilterContainers;
    [FieldOffset(4)] public uint WakeupBytes;
    [FieldOffset(8)] public uint SelfPid;
    [FieldOffset(12)] public uint Reserved;
    [FieldOffset(16)] public ContainerRoots Roots;

    public const int MaxContainerRoots = 4;
}

[InlineArray(AgentConfig.MaxContainerRoots)]
public struct ContainerRoots
{
    private ContainerRoot _first;
}

/// <summary>struct container_root: a cgroup whose descendants are containers (e.g. /kubepods.slice) and its depth.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ContainerRoot
{
    [FieldOffset(0)] public ulong CgroupId;
    [FieldOffset(8)] public uint Level;
    [FieldOffset(12)] public uint Reserved;
}

/// <summary>struct exec_key: an executable's file identity.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ExecKey
{
    [FieldOffset(0)] public ulong Inode;
    [FieldOffset(8)] public uint Device;
    [FieldOffset(12)] public uint Reserved;
}

/// <summary>struct destination_key: LPM trie key over a 16-byte address (IPv4 as ::ffff:a.b.c.d).</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct DestinationKey
{
    [FieldOffset(0)] public uint PrefixBits;
    [FieldOffset(4)] public fixed byte Address[16];
}

/// <summary>struct destination_rule: which rule denies the prefix, and its port (0: every port).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct DestinationRule
{
    [FieldOffset(0)] public uint Rule;
    [FieldOffset(4)] public ushort Port;
    [FieldOffset(6)] public ushort Reserved;
}
