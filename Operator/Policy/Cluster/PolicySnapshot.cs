using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Cluster;

/// <summary>An immutable view of every policy in the cluster at one moment: each entry (valid or not) and a catalog of
/// the policies in force. Readers take one snapshot and use it throughout a piece of work, so a policy change never
/// shows half applied.</summary>
public sealed class PolicySnapshot
{
    public static readonly PolicySnapshot Empty = new(0, new Dictionary<PolicyKey, PolicyEntry>());

    public PolicySnapshot(long version, IReadOnlyDictionary<PolicyKey, PolicyEntry> entries)
    {
        Version = version;
        Entries = entries;
        // Fixed order (cluster policies first, then by namespace and name) so evaluation order and reports are stable.
        var inForce = entries.Values.Where(e => e.Compiled is not null)
            .OrderBy(e => e.Key.IsCluster ? 0 : 1).ThenBy(e => e.Key.Namespace, StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal)
            .Select(e => e.Compiled!).ToArray();
        Catalog = new PolicyCatalog(inForce);
    }

    /// <summary>Increases by one with every published change.</summary>
    public long Version { get; }

    public IReadOnlyDictionary<PolicyKey, PolicyEntry> Entries { get; }

    /// <summary>The compiled policies in force, with per-namespace selection.</summary>
    public PolicyCatalog Catalog { get; }

    public PolicyEntry? Get(PolicyKey key) => Entries.GetValueOrDefault(key);
}
