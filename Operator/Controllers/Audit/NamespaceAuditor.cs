using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;

namespace SecurityOperator.Controllers.Audit;

/// <summary>Evaluates every audited object of a namespace against the policies that target it and aggregates the
/// results per workload. An object whose resourceVersion, namespace labels and policy snapshot are unchanged since its
/// last evaluation is not evaluated again. Call <see cref="Audit"/> for one namespace at a time (the work queue
/// guarantees it); different namespaces may run in parallel.</summary>
public sealed class NamespaceAuditor
{
    private readonly IReadOnlyList<AuditedKind> _kinds;
    private readonly Dictionary<string, AuditedKind> _byKind;
    private readonly ThreadLocal<ObjectEvaluator> _evaluator = new(() => new ObjectEvaluator());
    private readonly ThreadLocal<System.Buffers.ArrayBufferWriter<byte>> _json = new(() => new System.Buffers.ArrayBufferWriter<byte>(16 * 1024));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, CachedAudit>> _cache = new(StringComparer.Ordinal);

    private sealed record CachedAudit(string? ResourceVersion, long PolicyVersion, IReadOnlyDictionary<string, string>? Labels, AuditSubject Unit, ObjectAudit Audit);

    private readonly CacheInterning? _strings;

    /// <param name="strings">Where the findings' strings are shared across namespaces (null: within a pass only).</param>
    internal NamespaceAuditor(IReadOnlyList<AuditedKind> kinds, CacheInterning? strings)
        : this(kinds) => _strings = strings;

    public NamespaceAuditor(IReadOnlyList<AuditedKind> kinds)
    {
        _kinds = kinds;
        _byKind = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);
    }

    /// <summary>One pass over the namespace with the given snapshot; unchanged objects reuse their last result.</summary>
    public NamespaceAudit Audit(string @namespace, IReadOnlyDictionary<string, string>? namespaceLabels, PolicySnapshot policies)
    {
        var set = policies.Catalog.Select(@namespace, namespaceLabels);
        var previous = _cache.GetValueOrDefault(@namespace);
        var next = new Dictionary<string, CachedAudit>(StringComparer.Ordinal);
        var audits = new List<ObjectAudit>();
        var sharing = new FindingSharing(_strings);
        foreach (var kind in _kinds)
        {
            foreach (var obj in kind.InNamespace(@namespace))
            {
                var name = obj.Metadata.Name ?? "";
                var key = $"{kind.Kind}/{name}";
                var rv = obj.Metadata.ResourceVersion;
                var unit = UnitOf(obj, kind.Kind, @namespace);
                if (previous is not null && previous.TryGetValue(key, out var cached) && cached.ResourceVersion == rv &&
                    cached.PolicyVersion == policies.Version && ReferenceEquals(cached.Labels, namespaceLabels) && cached.Unit == unit)
                {
                    next[key] = cached;
                    sharing.Add(cached.Audit);
                    audits.Add(cached.Audit);
                    continue;
                }
                var subject = SubjectOf(obj, kind.Kind, @namespace);
                var audit = sharing.Share(_evaluator.Value!.Evaluate(kind.Serialize(obj, _json.Value!), subject, unit, rv, set));
                next[key] = new CachedAudit(rv, policies.Version, namespaceLabels, unit, audit);
                audits.Add(audit);
            }
        }
        _cache[@namespace] = next;
        return new NamespaceAudit(@namespace, policies.Version, audits, Aggregate(audits));
    }

    /// <summary>Drops what is remembered about a namespace that no longer exists.</summary>
    public void Forget(string @namespace) => _cache.TryRemove(@namespace, out _);

    private static List<UnitAudit> Aggregate(List<ObjectAudit> audits)
    {
        var units = new List<UnitAudit>();
        foreach (var group in audits.GroupBy(a => a.Unit))
        {
            var findings = new List<AuditFindingKey>();
            var applied = new HashSet<(PolicyKey, string)>();
            int pods = 0, violatingPods = 0, errors = 0;
            foreach (var audit in group)
            {
                foreach (var f in audit.Findings) if (!findings.Contains(f)) findings.Add(f);
                applied.UnionWith(audit.AppliedRules);
                if (audit.Error is not null) errors++;
                if (!audit.IsPod) continue;
                pods++;
                if (audit.Findings.Count > 0) violatingPods++;
            }
            var violated = findings.Select(f => (f.Policy, f.Rule)).ToHashSet();
            var passed = applied.Count(r => !violated.Contains(r));
            units.Add(new UnitAudit(group.Key, findings, applied.Select(r => r.Item1).ToHashSet(), passed, pods, violatingPods, errors));
        }
        return units;
    }

    public static AuditSubject SubjectOf(IKubeObject obj, string kind, string @namespace) =>
        new(obj.ApiVersion ?? "", kind, @namespace, obj.Metadata.Name ?? "", obj.Metadata.Uid);

    /// <summary>The top-level workload an object belongs to: its controller owner, and that owner's controller owner, as
    /// long as the owner is an audited kind present in the cache with the referenced uid. Otherwise the object itself.</summary>
    public AuditSubject UnitOf(IKubeObject obj, string kind, string @namespace)
    {
        var current = obj;
        var currentKind = kind;
        for (var depth = 0; depth < 2; depth++)
        {
            var owner = current.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
            if (owner is null || !_byKind.TryGetValue(owner.Kind, out var ownerKind)) break;
            var found = ownerKind.Get(@namespace, owner.Name);
            if (found is null || found.Metadata.Uid != owner.Uid) break;
            current = found;
            currentKind = owner.Kind;
        }
        return SubjectOf(current, currentKind, @namespace);
    }
}
