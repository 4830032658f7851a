using System.Net;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Policies;

/// <summary>A denied-executable map entry: the container's cgroup and the file identity.</summary>
public readonly record struct ExecEntry(ulong CgroupId, ulong Inode, uint Device)
{
    public ExecKey Key => new() { CgroupId = CgroupId, Inode = Inode, Device = Device };
}

/// <summary>A destination trie entry: the container's cgroup, the port (0: every port) and the address prefix.</summary>
public readonly record struct DestinationEntry(ulong CgroupId, ushort Port, IPAddress Address, int PrefixBits)
{
    public DestinationKey Key => DestinationKeys.For(Address, PrefixBits, CgroupId, Port);
}

/// <summary>An absolute-path glob whose opens alert, with its rule's number.</summary>
public sealed record SensitivePath(uint Rule, byte[] Glob);

/// <summary>What the kernel maps (and the open matcher) should hold for the pods of this node under the current
/// policies: computed whole by <see cref="RuntimePlanner"/>, applied as a difference by <see cref="RuntimeMapProgrammer"/>.</summary>
public sealed class RuntimePlan
{
    public Dictionary<ExecEntry, ExecRule> Execs { get; } = new();
    public Dictionary<DestinationEntry, DestinationRule> Destinations { get; } = new();
    public Dictionary<ulong, ConnectMode> ConnectModes { get; } = new();
    public Dictionary<ulong, SensitivePath[]> SensitivePaths { get; } = new();
    public Dictionary<uint, RuntimeRuleBinding> Bindings { get; } = new();
    /// <summary>Executables that could not be resolved in a container (process gone, no permission): retried next pass.</summary>
    public List<string> Problems { get; } = [];
}
