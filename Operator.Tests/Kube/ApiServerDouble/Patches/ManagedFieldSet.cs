namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>Who owns which leaf fields of one object: entries keyed by (manager, operation) like metadata.managedFields.
/// SIMPLIFICATION (documented in the report): ownership is tracked beside the object and NOT rendered into
/// metadata.managedFields; an Update takes over every field it changes; an Apply owns exactly the leaves of its
/// configuration. That is enough for FieldManagerConflict, force, and removal of omitted fields (pods-08).
/// Immutable: every write produces a new set.</summary>
public sealed class ManagedFieldSet
{
    private readonly Dictionary<(string Manager, string Operation), HashSet<string>> _entries;

    public ManagedFieldSet() => _entries = [];

    private ManagedFieldSet(Dictionary<(string, string), HashSet<string>> entries) => _entries = entries;

    public IEnumerable<(string Manager, string Operation, IReadOnlySet<string> Paths)> Entries =>
        _entries.Select(e => (e.Key.Manager, e.Key.Operation, (IReadOnlySet<string>)e.Value));

    public IReadOnlySet<string> PathsOf(string manager, string operation) =>
        _entries.TryGetValue((manager, operation), out var set) ? set : new HashSet<string>();

    /// <summary>After a non-apply write: <paramref name="manager"/> owns what changed; vanished fields lose their owners.</summary>
    public ManagedFieldSet AfterUpdate(string manager, Dictionary<string, string> before, Dictionary<string, string> after)
    {
        var next = Copy();
        var changed = after.Where(p => !before.TryGetValue(p.Key, out var old) || old != p.Value).Select(p => p.Key).ToHashSet();
        foreach (var (key, set) in next._entries)
        {
            if (key == (manager, "Update")) continue;
            set.ExceptWith(changed);
            set.RemoveWhere(p => !after.ContainsKey(p));
        }
        if (!next._entries.TryGetValue((manager, "Update"), out var mine)) next._entries[(manager, "Update")] = mine = [];
        mine.UnionWith(changed);
        mine.RemoveWhere(p => !after.ContainsKey(p));
        next.DropEmpty();
        return next;
    }

    /// <summary>After an apply: the applier owns exactly <paramref name="applied"/>; with force, others lose those paths.</summary>
    public ManagedFieldSet AfterApply(string manager, IEnumerable<string> applied, IEnumerable<string> forcedAway, Dictionary<string, string> after)
    {
        var next = Copy();
        var forced = forcedAway.ToHashSet();
        foreach (var (key, set) in next._entries)
        {
            set.ExceptWith(forced);
            set.RemoveWhere(p => !after.ContainsKey(p));
        }
        next._entries[(manager, "Apply")] = applied.Where(after.ContainsKey).ToHashSet();
        next.DropEmpty();
        return next;
    }

    private ManagedFieldSet Copy() => new(_entries.ToDictionary(e => e.Key, e => new HashSet<string>(e.Value)));

    private void DropEmpty()
    {
        foreach (var key in _entries.Where(e => e.Value.Count == 0).Select(e => e.Key).ToList()) _entries.Remove(key);
    }
}
