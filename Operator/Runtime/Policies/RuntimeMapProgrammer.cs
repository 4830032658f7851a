using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Policies;

/// <summary>Brings the kernel maps from the last applied plan to a new one: removes entries no longer wanted (a pod
/// gone, a policy deleted or changed), writes new and changed ones, and publishes the rule bindings and sensitive
/// paths for the event thread. Bindings are published before entries are written, so a kill or block the kernel
/// reports under a new number always finds its rule. Called from one thread at a time.</summary>
public sealed class RuntimeMapProgrammer(IRuntimeMaps maps, RuntimeRuleTable table)
{
    // What the kernel holds, updated write by write: a write that fails midway leaves this true, so the next pass
    // still removes what an earlier pass wrote.
    private readonly Dictionary<ExecEntry, ExecRule> _execs = new();
    private readonly Dictionary<DestinationEntry, DestinationRule> _destinations = new();
    private readonly Dictionary<ulong, ConnectMode> _modes = new();
    private volatile Dictionary<ulong, SensitivePath[]> _sensitive = new();

    public int ExecEntries => _execs.Count;
    public int DestinationEntries => _destinations.Count;
    public int ConnectModes => _modes.Count;

    /// <summary>The sensitive paths of a container's cgroup (empty when none); lock-free for the event thread.</summary>
    public SensitivePath[] SensitivePathsOf(ulong cgroupId) => _sensitive.GetValueOrDefault(cgroupId) ?? [];

    /// <summary>Applies <paramref name="plan"/>; returns how many map writes and deletes it took.</summary>
    public int Apply(RuntimePlan plan)
    {
        table.Publish(new Dictionary<uint, RuntimeRuleBinding>(plan.Bindings));
        _sensitive = plan.SensitivePaths;
        var writes = 0;
        foreach (var (entry, rule) in plan.Execs)
            if (!_execs.TryGetValue(entry, out var old) || !Same(old, rule)) { maps.SetExec(entry, rule); _execs[entry] = rule; writes++; }
        foreach (var (entry, rule) in plan.Destinations)
            if (!_destinations.TryGetValue(entry, out var old) || !Same(old, rule)) { maps.SetDestination(entry, rule); _destinations[entry] = rule; writes++; }
        foreach (var (cgroup, mode) in plan.ConnectModes)
            if (!_modes.TryGetValue(cgroup, out var old) || !Same(old, mode)) { maps.SetConnectMode(cgroup, mode); _modes[cgroup] = mode; writes++; }
        foreach (var entry in _execs.Keys.Where(e => !plan.Execs.ContainsKey(e)).ToList()) { maps.RemoveExec(entry); _execs.Remove(entry); writes++; }
        foreach (var entry in _destinations.Keys.Where(e => !plan.Destinations.ContainsKey(e)).ToList()) { maps.RemoveDestination(entry); _destinations.Remove(entry); writes++; }
        foreach (var cgroup in _modes.Keys.Where(c => !plan.ConnectModes.ContainsKey(c)).ToList()) { maps.RemoveConnectMode(cgroup); _modes.Remove(cgroup); writes++; }
        return writes;
    }

    private static bool Same(ExecRule a, ExecRule b) => a.Rule == b.Rule && a.Action == b.Action;
    private static bool Same(DestinationRule a, DestinationRule b) => a.Rule == b.Rule && a.Action == b.Action;
    private static bool Same(ConnectMode a, ConnectMode b) => a.Rule == b.Rule && a.Action == b.Action;
}
