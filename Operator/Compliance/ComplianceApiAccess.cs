using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Kube.Access;

namespace SecurityOperator.Compliance;

/// <summary>The API calls of the compliance parts, for the role that runs them to register (the controller).</summary>
public static class ComplianceApiAccess
{
    private const string Core = "", Networking = "networking.k8s.io", PolicyReports = "wgpolicyk8s.io";

    /// <summary><see cref="ClusterObjectLoader"/> (section 5 scan) and publishing its ClusterPolicyReport.</summary>
    public static readonly IReadOnlyList<ApiAccess> ClusterScan =
    [
        new(RbacResources.RbacGroup, "clusterroles", "list"),
        new(RbacResources.RbacGroup, "roles", "list"),
        new(RbacResources.RbacGroup, "clusterrolebindings", "list"),
        new(RbacResources.RbacGroup, "rolebindings", "list"),
        new(Core, "serviceaccounts", "list"),
        new(Core, "namespaces", "list"),
        new(Networking, "networkpolicies", "list"),
        new(Core, "pods", "list"),
        new(PolicyReports, "clusterpolicyreports", "get"),
        new(PolicyReports, "clusterpolicyreports", "create"),
        new(PolicyReports, "clusterpolicyreports", "update"),
    ];

    /// <summary><see cref="NetworkPolicies.ManagedPolicyApplier"/> (zero-trust and generated allow policies).</summary>
    public static readonly IReadOnlyList<ApiAccess> NetworkPolicyAutomation =
    [
        new(Networking, "networkpolicies", "list"),
        new(Networking, "networkpolicies", "create"),
        new(Networking, "networkpolicies", "update"),
        new(Networking, "networkpolicies", "delete"),
    ];

    /// <summary>The controller reading the node agents' NetworkFlowReports (to generate allow policies).</summary>
    public static readonly IReadOnlyList<ApiAccess> FlowReportsRead = [.. ApiAccess.ListWatch("security.io", "networkflowreports")];

    /// <summary>A node agent publishing its NetworkFlowReports (the node role registers this list).</summary>
    public static readonly IReadOnlyList<ApiAccess> FlowReportsWrite =
    [
        new("security.io", "networkflowreports", "get"),
        new("security.io", "networkflowreports", "create"),
        new("security.io", "networkflowreports", "update"),
    ];

    /// <summary>Everything the controller side of this part calls.</summary>
    public static readonly IReadOnlyList<ApiAccess> All = [.. ClusterScan.Concat(NetworkPolicyAutomation).Concat(FlowReportsRead).Distinct()];
}
