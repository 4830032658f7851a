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

/// <summary>struct exec_key: the cgroup an entry applies to (0: every traced cgroup) and an executable's file identity.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct ExecKey
{
    [FieldOffset(0)] public ulong CgroupId;
    [FieldOffset(8)] public ulong Inode;
    [FieldOffset(16)] public uint Device;
    [FieldOffset(20)] public uint Reserved;
}

/// <summary>struct exec_rule: the rule's number and what the kernel does on a match.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ExecRule
{
    [FieldOffset(0)] public uint Rule;
    [FieldOffset(4)] public RuleAction Action;
}

/// <summary>enum rule_action of bpf/event.h.</summary>
public enum RuleAction : uint
{
    /// <summary>exec: SIGKILL before the first instruction; connect: EPERM.</summary>
    Enforce = 0,
    /// <summary>Let it happen and report it.</summary>
    Alert = 1,
    /// <summary>connect only: an allowed destination, exempt from the cgroup's default.</summary>
    Allow = 2,
}

/// <summary>struct destination_key: LPM trie key over (cgroup id, port, 16-byte address); IPv4 as ::ffff:a.b.c.d.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct DestinationKey
{
    [FieldOffset(0)] public uint PrefixBits;
    [FieldOffset(4)] public fixed uint CgroupId[2];
    [FieldOffset(12)] public ushort Port;
    [FieldOffset(14)] public fixed byte Address[16];
    [FieldOffset(30)] public ushort Reserved;
}

/// <summary>struct destination_rule: which rule an entry belongs to and what it does.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct DestinationRule
{
    [FieldOffset(0)] public uint Rule;
    [FieldOffset(4)] public RuleAction Action;
}

/// <summary>struct connect_mode: what a cgroup with an allow-list does with destinations that have no entry.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ConnectMode
{
    [FieldOffset(0)] public uint Rule;
    [FieldOffset(4)] public RuleAction Action;
}
