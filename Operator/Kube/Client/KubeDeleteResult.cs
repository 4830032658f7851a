using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

/// <summary>What a DELETE answered: pods and most built-in kinds return the object (with deletionTimestamp when deletion
/// is graceful, pods-10), custom resources and Leases return a Status (crd-02, coord-01). Exactly one is set.</summary>
public sealed record KubeDeleteResult<T>(T? Object, Status? Status) where T : class;
