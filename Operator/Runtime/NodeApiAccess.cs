using SecurityOperator.Kube.Access;

namespace SecurityOperator.Runtime;

/// <summary>The API calls of --role node: it lists and watches the pods of its own node (fieldSelector
/// spec.nodeName) to name the pod and container of an event, and reads, creates and updates the baseline ConfigMap of
/// each workload it sees (Baseline/ConfigMapBaselineStore). Nothing else; with --kubeconfig none, nothing.</summary>
public static class NodeApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("", "pods"),
        new("", "configmaps", "get"),
        new("", "configmaps", "create"),
        new("", "configmaps", "update"),
    ];
}
