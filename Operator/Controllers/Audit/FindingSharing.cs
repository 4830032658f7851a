namespace SecurityOperator.Controllers.Audit;

/// <summary>One namespace pass's table of findings: the replicas of a workload find the same violations, and each
/// evaluation formats its own copies (policy name, rule, path, a message of a hundred characters or more). Audits
/// kept in the auditor's cache hold one instance of each distinct finding and one list per distinct set of findings
/// instead (at 10,000 pods, 15,757 cached findings were ~11 MB; they are ~40 distinct ones per namespace). A pass's
/// table is dropped with the pass, so nothing outlives the audits that use it. With <paramref name="strings"/>, a new
/// finding's strings are also shared across namespaces (the same flaw in many namespaces has the same message), and
/// with the PolicyReports the informer holds (see <see cref="Reports.ReportInterning"/>).</summary>
internal sealed class FindingSharing(CacheInterning? strings = null)
{
    private readonly Dictionary<AuditFindingKey, AuditFindingKey> _keys = new();
    private readonly Dictionary<FindingList, IReadOnlyList<AuditFindingKey>> _lists = new();

    /// <summary>Makes an audit from an earlier pass a source of shared instances for the audits that follow.</summary>
    public void Add(ObjectAudit audit)
    {
        if (audit.Findings.Count == 0) return;
        foreach (var f in audit.Findings) _keys.TryAdd(f, f);
        _lists.TryAdd(new FindingList(audit.Findings), audit.Findings);
    }

    /// <summary>The same audit (equal findings in the same order) holding the shared instances.</summary>
    public ObjectAudit Share(ObjectAudit audit)
    {
        if (audit.Findings.Count == 0) return audit;
        var findings = new AuditFindingKey[audit.Findings.Count];
        for (var i = 0; i < findings.Length; i++)
        {
            var f = audit.Findings[i];
            if (!_keys.TryGetValue(f, out var shared)) _keys[f] = shared = Interned(f);
            findings[i] = shared;
        }
        var key = new FindingList(findings);
        if (!_lists.TryGetValue(key, out var list)) _lists[key] = list = findings;
        return ReferenceEquals(list, audit.Findings) ? audit : audit with { Findings = list };
    }

    private AuditFindingKey Interned(AuditFindingKey f) => strings is null ? f : f with
    {
        PolicyName = strings.String(f.PolicyName)!, Rule = strings.String(f.Rule)!, Condition = strings.String(f.Condition)!,
        Container = strings.String(f.Container), FieldPath = strings.String(f.FieldPath)!, Message = strings.String(f.Message)!,
    };

    /// <summary>A list of findings compared by its elements, in order.</summary>
    private readonly struct FindingList(IReadOnlyList<AuditFindingKey> items) : IEquatable<FindingList>
    {
        private readonly IReadOnlyList<AuditFindingKey> _items = items;

        public bool Equals(FindingList other)
        {
            if (_items.Count != other._items.Count) return false;
            for (var i = 0; i < _items.Count; i++)
                if (!_items[i].Equals(other._items[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is FindingList other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var f in _items) hash.Add(f);
            return hash.ToHashCode();
        }
    }
}
