using System.Collections.Concurrent;

namespace SecurityOperator.Policy.Compilation;

/// <summary>The policies that apply to one namespace (namespaced policies of that namespace + cluster policies whose
/// namespaceSelector matches its labels), in a fixed order. Immutable.</summary>
public sealed class CompiledPolicySet
{
    public static readonly CompiledPolicySet Empty = new([]);

    public CompiledPolicySet(IReadOnlyList<CompiledPolicy> policies)
    {
        Policies = policies;
        PolicyArray = policies.ToArray();
    }

    public IReadOnlyList<CompiledPolicy> Policies { get; }
    internal CompiledPolicy[] PolicyArray { get; }
}

/// <summary>All compiled policies (immutable; swap a whole catalog to change policies atomically). Selection per
/// namespace is cached: the cache entry is reused while the caller passes the same labels dictionary instance for
/// that namespace (a namespace cache hands out a new instance when labels change), so steady-state selection is one
/// dictionary lookup.</summary>
public sealed class PolicyCatalog
{
    private readonly CompiledPolicy[] _policies;
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, string>? Labels, CompiledPolicySet Set)> _cache = new(StringComparer.Ordinal);

    /// <summary>Real clusters have hundreds to a few thousand namespaces; the bound only matters against input that
    /// names namespaces without end.</summary>
    public const int MaxCachedNamespaces = 10_000;

    public PolicyCatalog(IEnumerable<CompiledPolicy> policies) => _policies = policies.ToArray();

    public IReadOnlyList<CompiledPolicy> Policies => _policies;

    internal int CachedNamespaces => _cache.Count;

    public CompiledPolicySet Select(string? ns, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var key = ns ?? "";
        if (_cache.TryGetValue(key, out var cached) && ReferenceEquals(cached.Labels, namespaceLabels)) return cached.Set;
        var selected = new List<CompiledPolicy>();
        foreach (var policy in _policies)
            if (policy.AppliesToNamespace(ns, namespaceLabels)) selected.Add(policy);
        var set = selected.Count == 0 ? CompiledPolicySet.Empty : new CompiledPolicySet(selected);
        // Bounded: requests naming endless made-up namespaces then cost a selection each instead of memory forever.
        if (_cache.Count < MaxCachedNamespaces || _cache.ContainsKey(key)) _cache[key] = (namespaceLabels, set);
        return set;
    }
}
