using SecurityOperator.Kube.Access;

namespace SecurityOperator.Runtime;

/// <summary>The API calls of --role node: it lists and watches the pods of its own node (fieldSelector
/// spec.nodeName) to name the pod and container of an event; lists and watches SecurityPolicies,
/// ClusterSecurityPolicies and Namespaces (namespaceSelector) for the runtime rules; records runtime rule Events on
/// pods (create, adopt after a restart, series patch); patches pods with the quarantine marks. Reads, creates and updates the
/// baseline ConfigMap of each workload it sees (Baseline/ConfigMapBaselineStore). Publishes its CIS
/// ClusterPolicyReport; with --flow-reports writes its NetworkFlowReports (create, replace, get after a conflict). With --kubeconfig none, nothing.</summary>
public static class NodeApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("", "pods"),
        .. ApiAccess.ListWatch("security.io", "securitypolicies"),
        .. ApiAccess.ListWatch("security.io", "clustersecuritypolicies"),
        .. ApiAccess.ListWatch("", "namespaces"),
        new("events.k8s.io", "events", "create"),
        new("events.k8s.io", "events", "get"),
        new("events.k8s.io", "events", "patch"),
        new("", "pods", "patch"),
        new("", "configmaps", "get"),
        new("", "configmaps", "create"),
        new("", "configmaps", "update"),
        .. Compliance.Scans.ComplianceScanApiAccess.Node,
        .. Compliance.ComplianceApiAccess.FlowReportsWrite,
    ];
}
