using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>Source-generated JSON metadata for every Kubernetes model (no reflection, AOT-safe).
/// Nulls are not written, matching Go's omitempty on optional pointer fields, so the operator never sends a literal null
/// that a server-side apply or merge patch would read as "delete this field".</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(Eviction))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(KubeList<ServiceAccount>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(NetworkPolicy))]
[JsonSerializable(typeof(KubeList<NetworkPolicy>))]
[JsonSerializable(typeof(PolicyReport))]
[JsonSerializable(typeof(KubeList<PolicyReport>))]
[JsonSerializable(typeof(ClusterPolicyReport))]
[JsonSerializable(typeof(KubeList<ClusterPolicyReport>))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubeList<Deployment>))]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(KubeList<StatefulSet>))]
[JsonSerializable(typeof(DaemonSet))]
[JsonSerializable(typeof(KubeList<DaemonSet>))]
[JsonSerializable(typeof(ReplicaSet))]
[JsonSerializable(typeof(KubeList<ReplicaSet>))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(KubeList<Job>))]
[JsonSerializable(typeof(CronJob))]
[JsonSerializable(typeof(KubeList<CronJob>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
