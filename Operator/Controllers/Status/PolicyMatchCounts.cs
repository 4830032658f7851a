using SecurityOperator.Controllers.Audit;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Status;

/// <summary>Per policy: how many reporting units (workloads, bare pods) it matched and how many violate one of its deny
/// rules, summed over the namespaces' latest audits. Thread-safe; <see cref="Update"/> says which policies' totals changed.</summary>
public sealed class PolicyMatchCounts
{
    public readonly record struct Counts(long Matched, long Violating);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<PolicyKey, Counts>> _byNamespace = new(StringComparer.Ordinal);

    public Counts For(PolicyKey policy)
    {
        lock (_gate)
        {
            long matched = 0, violating = 0;
            foreach (var ns in _byNamespace.Values)
                if (ns.TryGetValue(policy, out var c)) { matched += c.Matched; violating += c.Violating; }
            return new Counts(matched, violating);
        }
    }

    /// <summary>Replaces a namespace's counts (null: the namespace is gone); returns the policies whose counts there changed.</summary>
    public IReadOnlyList<PolicyKey> Update(string @namespace, NamespaceAudit? audit)
    {
        var next = new Dictionary<PolicyKey, Counts>();
        foreach (var unit in audit?.Units ?? [])
        {
            var violated = unit.Findings.Where(f => f.Disposition != Disposition.Alert).Select(f => f.Policy).ToHashSet();
            foreach (var policy in unit.MatchedPolicies)
            {
                var c = next.GetValueOrDefault(policy);
                next[policy] = new Counts(c.Matched + 1, c.Violating + (violated.Contains(policy) ? 1 : 0));
            }
        }
        lock (_gate)
        {
            var previous = _byNamespace.GetValueOrDefault(@namespace) ?? [];
            if (audit is null) _byNamespace.Remove(@namespace); else _byNamespace[@namespace] = next;
            return previous.Keys.Union(next.Keys)
                .Where(k => previous.GetValueOrDefault(k) != next.GetValueOrDefault(k)).ToList();
        }
    }
}
