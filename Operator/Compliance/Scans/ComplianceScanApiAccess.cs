using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Kube.Access;

namespace SecurityOperator.Compliance.Scans;

/// <summary>The API calls of the scheduled compliance scans, registered by the roles that run them.</summary>
public static class ComplianceScanApiAccess
{
    /// <summary>Remediation in apply mode: automountServiceAccountToken on default ServiceAccounts, deleting allow-listed bindings.</summary>
    public static readonly IReadOnlyList<ApiAccess> Remediation =
    [
        new("", "serviceaccounts", "patch"),
        new(RbacResources.RbacGroup, "clusterrolebindings", "delete"),
        new(RbacResources.RbacGroup, "rolebindings", "delete"),
    ];

    /// <summary>The controller: the section 5 listing and its ClusterPolicyReport (<see cref="ComplianceApiAccess.ClusterScan"/>),
    /// remediation; the trigger Namespace comes from the controller's Namespace informer (declared by the controller).</summary>
    public static readonly IReadOnlyList<ApiAccess> Controller = [.. ComplianceApiAccess.ClusterScan, .. Remediation];

    /// <summary>A node agent: its own ClusterPolicyReport cis-node-NODE.</summary>
    public static readonly IReadOnlyList<ApiAccess> Node =
    [
        new("wgpolicyk8s.io", "clusterpolicyreports", "get"),
        new("wgpolicyk8s.io", "clusterpolicyreports", "create"),
        new("wgpolicyk8s.io", "clusterpolicyreports", "update"),
    ];
}
