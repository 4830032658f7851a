using System.Text.Json;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Audit;

/// <summary>What the controller's informers keep of each audited object (<see cref="AuditedKind{T}.CacheAsJson"/>).
/// The evaluator reads metadata and spec from JSON bytes, so those are kept once, as (compressed) bytes, without status
/// and metadata.managedFields (often the largest part of what a real API server sends). The typed object keeps its
/// metadata (owners, labels, and of the annotations only the quarantine marks, <see cref="QuarantineMarks.IsMark"/>)
/// and, for a pod, what the NetworkPolicy automation reads (Controllers/NetworkPolicies: phase, podIP and podIPs,
/// hostNetwork, container names and ports for named Service target ports); the rest of the spec is dropped. Strings
/// and port lists that many objects repeat are shared (<see cref="CacheInterning"/>). Code that needs more of a cached
/// object must read the JSON (<see cref="AuditedKind.Serialize"/>). Nothing is written back from the cache: pods are
/// only ever patched (quarantine), never replaced.</summary>
public static class AuditCacheTrim
{
    /// <summary>Sets the transform of each kind's informer (before the informers run).</summary>
    public static void Apply(IEnumerable<AuditedKind> kinds) => Apply(kinds, new CacheInterning());

    internal static void Apply(IEnumerable<AuditedKind> kinds, CacheInterning shared)
    {
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                case AuditedKind<Pod> k:
                    k.CacheAsJson(p => new Pod { ApiVersion = p.ApiVersion, Kind = p.Kind, Metadata = WithoutManagedFields(p.Metadata), Spec = p.Spec },
                        p => { Typed(p, shared); p.Spec = NetworkView(p.Spec, shared); p.Extra = null; p.Status = p.Status is { } s ? StatusView(s, shared) : null; });
                    break;
                case AuditedKind<Deployment> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<ReplicaSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<StatefulSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<DaemonSet> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<Job> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
                case AuditedKind<CronJob> k: k.CacheAsJson(o => { o.Status = null; o.Metadata = WithoutManagedFields(o.Metadata); return o; }, o => { Typed(o, shared); o.Spec = null; o.Extra = null; }); break;
            }
        }
    }

    // Runs after the JSON was taken: what is dropped here is still in the JSON the evaluator reads.
    private static void Typed(IKubeObject obj, CacheInterning shared)
    {
        obj.ApiVersion = shared.String(obj.ApiVersion);
        obj.Kind = shared.String(obj.Kind);
        var metadata = obj.Metadata;
        metadata.Namespace = shared.String(metadata.Namespace);
        metadata.Labels = shared.Map(metadata.Labels);
        metadata.Annotations = shared.Map(metadata.Annotations, QuarantineMarks.IsMark);
        foreach (var owner in metadata.OwnerReferences ?? [])
        {
            // Replicas share their owner, so its name and uid too.
            owner.ApiVersion = shared.String(owner.ApiVersion)!;
            owner.Kind = shared.String(owner.Kind)!;
            owner.Name = shared.String(owner.Name)!;
            owner.Uid = shared.String(owner.Uid)!;
        }
    }

    // What the network policy automation reads of a pod's spec; replicas have the same view, so they share one instance
    // (at 10,000 pods the per-pod copies, with their lists and port maps, were ~4 MB).
    private static PodSpec? NetworkView(PodSpec? spec, CacheInterning shared)
    {
        if (spec is null) return null;
        var view = new PodSpec
        {
            HostNetwork = spec.HostNetwork,
            Containers = spec.Containers?.Select(c => new Container { Name = shared.String(c.Name)!, Extra = Only(c.Extra, "ports", shared) }).ToList(),
        };
        return shared.Value(JsonSerializer.Serialize(view, KubeJsonContext.Default.PodSpec), view);
    }

    private static PodStatus StatusView(PodStatus status, CacheInterning shared) => new()
    {
        Phase = shared.String(status.Phase),
        PodIp = status.PodIp,
        // A single-stack pod's podIPs is [{"ip": podIP}]: readers fall back to podIP (PodWorkload.Addresses), so only a
        // list that says more is kept.
        Extra = OnlyAddress(status) ? null : Only(status.Extra, "podIPs", shared),
    };

    private static bool OnlyAddress(PodStatus status) =>
        status.PodIp is { Length: > 0 } ip && status.Extra?.GetValueOrDefault("podIPs") is { ValueKind: JsonValueKind.Array } list &&
        list.GetArrayLength() == 1 && list[0] is { ValueKind: JsonValueKind.Object } item &&
        item.TryGetProperty("ip", out var first) && first.ValueKind == JsonValueKind.String && first.GetString() == ip;

    private static Dictionary<string, JsonElement>? Only(Dictionary<string, JsonElement>? extra, string key, CacheInterning shared) =>
        extra is not null && extra.TryGetValue(key, out var value) ? new() { [key] = shared.Json(value) } : null;

    private static ObjectMeta WithoutManagedFields(ObjectMeta metadata)
    {
        if (metadata.Extra is { } extra && extra.Remove("managedFields") && extra.Count == 0) metadata.Extra = null;
        return metadata;
    }
}
