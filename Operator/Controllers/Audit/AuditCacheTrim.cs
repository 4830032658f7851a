using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Audit;

/// <summary>What the controller's informers keep of each audited object (<see cref="AuditedKind{T}.CacheAsJson"/>).
/// The evaluator reads metadata and spec from JSON bytes, so those are kept once, as bytes, without status and
/// metadata.managedFields (often the largest part of what a real API server sends). The typed object keeps its
/// metadata (owners, labels, quarantine annotations) and, for a pod, what the NetworkPolicy automation reads
/// (Controllers/NetworkPolicies: phase, podIP and podIPs, hostNetwork, container names and ports for named Service
/// target ports); the rest of the spec is dropped. Code that needs more of a cached object's spec must read the JSON (<see cref="AuditedKind.Serialize"/>). Nothing is written back from the
/// cache: pods are only ever patched (quarantine), never replaced.</summary>
public static class AuditCacheTrim
{
    /// <summary>Sets the transform of each kind's informer (before the informers run).</summary>
    public static void Apply(IEnumerable<AuditedKind> kinds)
    {
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                case AuditedKind<Pod> k:
                    k.CacheAsJson(p => new Pod { ApiVersion = p.ApiVersion, Kind = p.Kind, Metadata = WithoutManagedFields(p.Metadata), Spec = p.Spec },
                        p => { p.Spec = NetworkView(p.Spec); p.Extra = null; p.Status = p.Status is { } s ? StatusView(s) : null; });
                    break;
                case AuditedKind<Deployment> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<ReplicaSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<StatefulSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<DaemonSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<Job> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<CronJob> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { o.Spec = null; o.Extra = null; }); break;
            }
        }
    }

    private static PodSpec? NetworkView(PodSpec? spec) => spec is null ? null : new PodSpec
    {
        HostNetwork = spec.HostNetwork,
        Containers = spec.Containers?.Select(c => new Container { Name = c.Name, Extra = Only(c.Extra, "ports") }).ToList(),
    };

    private static PodStatus StatusView(PodStatus status) =>
        new() { Phase = status.Phase, PodIp = status.PodIp, Extra = Only(status.Extra, "podIPs") };

    private static Dictionary<string, System.Text.Json.JsonElement>? Only(Dictionary<string, System.Text.Json.JsonElement>? extra, string key) =>
        extra is not null && extra.TryGetValue(key, out var value) ? new() { [key] = value } : null;

    private static ObjectMeta WithoutManagedFields(ObjectMeta metadata)
    {
        if (metadata.Extra is { } extra && extra.Remove("managedFields") && extra.Count == 0) metadata.Extra = null;
        return metadata;
    }
}
