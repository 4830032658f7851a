using SecurityOperator.Kube.Access;

namespace SecurityOperator.Runtime;

/// <summary>The API calls of --role node: it lists and watches the pods of its own node (fieldSelector
/// spec.nodeName) to name the pod and container of an event, and with --flow-reports writes its NetworkFlowReports
/// (create, replace, and get after a conflict). Nothing else; with --kubeconfig none, nothing.</summary>
public static class NodeApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("", "pods"),
        .. Compliance.ComplianceApiAccess.FlowReportsWrite,
    ];
}
