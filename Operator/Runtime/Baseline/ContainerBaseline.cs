namespace SecurityOperator.Runtime.Baseline;

/// <summary>The learned entries of one container name of a workload: by hash for the event thread, with their text
/// for storage. Not thread-safe: guarded by its <see cref="WorkloadBaseline"/>'s lock.</summary>
public sealed class ContainerBaseline
{
    private readonly Dictionary<ulong, string>[] _entries = [new(), new(), new()];
    private readonly HashSet<ulong> _subnets = [];

    public static readonly ContainerBaseline Empty = new();

    public bool Contains(BaselineKind kind, ulong hash) => _entries[(int)kind].ContainsKey(hash);

    public bool ContainsSubnet(ulong subnet) => _subnets.Contains(subnet);

    public int Count(BaselineKind kind) => _entries[(int)kind].Count;

    public IEnumerable<string> Entries(BaselineKind kind) => _entries[(int)kind].Values;

    /// <summary>Adds an entry; false when it was known.</summary>
    public bool Add(BaselineKind kind, ulong hash, string text, ulong subnet = 0)
    {
        if (!_entries[(int)kind].TryAdd(hash, text)) return false;
        if (kind == BaselineKind.Destination) _subnets.Add(subnet);
        return true;
    }

    /// <summary>Adds a stored entry, recomputing its hash as the event thread would; false for a duplicate or an
    /// unreadable destination.</summary>
    public bool AddStored(BaselineKind kind, string text)
    {
        if (kind != BaselineKind.Destination) return Add(kind, BaselineKeys.Hash(kind, text), text);
        if (!BaselineKeys.TryParseDestination(text, out var connect)) return false;
        var hash = BaselineKeys.Destination(connect, out var subnet);
        return Add(kind, hash, text, subnet);
    }
}
