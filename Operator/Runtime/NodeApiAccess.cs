using SecurityOperator.Kube.Access;

namespace SecurityOperator.Runtime;

/// <summary>The API calls of --role node: it lists and watches the pods of its own node (fieldSelector
/// spec.nodeName) to name the pod and container of an event, and publishes its CIS ClusterPolicyReport. Nothing else; with --kubeconfig none, nothing.</summary>
public static class NodeApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("", "pods"),
        .. Compliance.Scans.ComplianceScanApiAccess.Node,
    ];
}
