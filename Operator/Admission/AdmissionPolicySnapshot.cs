using System.Collections.Concurrent;
using SecurityOperator.Audit;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Admission;

/// <summary>What admission decides with, as one immutable unit: the compiled policies, the known namespace labels and
/// the namespaces left alone. A change of policies or labels builds a new snapshot and swaps it whole, so a request
/// never sees half of an update.</summary>
public sealed class AdmissionPolicySnapshot
{
    private readonly PolicyCatalog _catalog;
    private readonly IReadOnlyDictionary<string, Dictionary<string, string>> _givenLabels;
    private readonly HashSet<string> _excluded;
    // One labels instance per namespace for the snapshot's life: the catalog caches its selection per instance.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _labels = new(StringComparer.Ordinal);

    public AdmissionPolicySnapshot(IEnumerable<CompiledPolicy> policies, IReadOnlyDictionary<string, Dictionary<string, string>> namespaceLabels,
        IEnumerable<string> excludedNamespaces)
    {
        _catalog = new PolicyCatalog(policies);
        _givenLabels = namespaceLabels;
        _excluded = new HashSet<string>(excludedNamespaces, StringComparer.Ordinal);
    }

    public IReadOnlyList<CompiledPolicy> Policies => _catalog.Policies;

    public bool IsExcluded(string? ns) => ns is not null && _excluded.Contains(ns);

    /// <summary>The policies for objects of <paramref name="ns"/> (cached per namespace; no allocation once seen).</summary>
    public CompiledPolicySet Select(string? ns)
    {
        if (ns is null) return _catalog.Select(null, null);
        if (!_labels.TryGetValue(ns, out var labels))
            labels = _labels.Count < PolicyCatalog.MaxCachedNamespaces
                ? _labels.GetOrAdd(ns, static (name, given) => NamespaceLabels.For(name, given), _givenLabels)
                : NamespaceLabels.For(ns, _givenLabels);
        return _catalog.Select(ns, labels);
    }
}
