using SecurityOperator.Kube.Access;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>The API calls of the NetworkPolicy automation: the nodes' NetworkFlowReports (list/watch), every
/// NetworkPolicy (list/watch: the evaluator needs what is in force), every Service (list/watch: ClusterIPs to backends), and create/replace/delete of the policies it
/// manages. Namespaces and pods come from the controller's shared informers.</summary>
public static class NetworkPolicyAutomationApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. Compliance.ComplianceApiAccess.FlowReportsRead,
        .. Compliance.ComplianceApiAccess.NetworkPolicyAutomation,
        new("networking.k8s.io", "networkpolicies", "watch"),
        .. ApiAccess.ListWatch("", "services"),
    ];
}
