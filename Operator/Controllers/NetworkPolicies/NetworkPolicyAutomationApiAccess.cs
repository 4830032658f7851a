using SecurityOperator.Kube.Access;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>The API calls of the NetworkPolicy automation: the nodes' NetworkFlowReports (list/watch), every
/// NetworkPolicy (list/watch: the evaluator needs what is in force), and create/replace/delete of the policies it
/// manages. Namespaces and pods come from the controller's shared informers.</summary>
public static class NetworkPolicyAutomationApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("security.io", "networkflowreports"),
        .. ApiAccess.ListWatch("networking.k8s.io", "networkpolicies"),
        new("networking.k8s.io", "networkpolicies", "create"),
        new("networking.k8s.io", "networkpolicies", "update"),
        new("networking.k8s.io", "networkpolicies", "delete"),
    ];
}
