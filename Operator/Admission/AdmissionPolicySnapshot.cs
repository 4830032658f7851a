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
    private readonly PolicyCatalog _enforcing;
    private readonly PolicyCatalog _auditing;
    private readonly IReadOnlyDictionary<string, Dictionary<string, string>> _givenLabels;
    private readonly HashSet<string> _excluded;
    // One labels instance per namespace for the snapshot's life: the catalog caches its selection per instance.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _labels = new(StringComparer.Ordinal);

    public AdmissionPolicySnapshot(IEnumerable<CompiledPolicy> policies, IReadOnlyDictionary<string, Dictionary<string, string>> namespaceLabels,
        IEnumerable<string> excludedNamespaces)
    {
        var all = policies.ToArray();
        _catalog = new PolicyCatalog(all);
        _enforcing = new PolicyCatalog(all.Where(p => p.Mode == EnforcementMode.Enforce));
        _auditing = new PolicyCatalog(all.Where(p => p.Mode != EnforcementMode.Enforce));
        _givenLabels = namespaceLabels;
        _excluded = new HashSet<string>(excludedNamespaces, StringComparer.Ordinal);
    }

    public IReadOnlyList<CompiledPolicy> Policies => _catalog.Policies;

    public bool IsExcluded(string? ns) => ns is not null && _excluded.Contains(ns);

    /// <summary>The policies for objects of <paramref name="ns"/> that <paramref name="endpoint"/> decides with: all of
    /// them, or only the enforcing or only the warn/dryrun ones for the split validating endpoints (cached per
    /// namespace; no allocation once seen).</summary>
    public CompiledPolicySet Select(string? ns, AdmissionEndpoint endpoint = AdmissionEndpoint.Validate)
    {
        var catalog = endpoint switch
        {
            AdmissionEndpoint.ValidateEnforce => _enforcing,
            AdmissionEndpoint.ValidateAudit => _auditing,
            _ => _catalog,
        };
        if (ns is null) return catalog.Select(null, null);
        if (!_labels.TryGetValue(ns, out var labels))
            labels = _labels.Count < PolicyCatalog.MaxCachedNamespaces
                ? _labels.GetOrAdd(ns, static (name, given) => NamespaceLabels.For(name, given), _givenLabels)
                : NamespaceLabels.For(ns, _givenLabels);
        return catalog.Select(ns, labels);
    }
}
