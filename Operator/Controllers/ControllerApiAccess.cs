using SecurityOperator.Kube.Access;

namespace SecurityOperator.Controllers;

/// <summary>The API calls of --role controller: informers over the policies, namespaces, pods and workload controllers
/// it audits and over its own PolicyReports; policy status patches; report create/replace; evictions (--enforce-existing); quarantine (pod label patches, the managed deny-all NetworkPolicies); violation Events (create, adopt after a restart, series patch); the leader election Lease; the webhook's certificate Secret and caBundles; the compliance scan (RBAC listing, its ClusterPolicyReport, remediation).</summary>
public static class ControllerApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("security.io", "securitypolicies"),
        .. ApiAccess.ListWatch("security.io", "clustersecuritypolicies"),
        new("security.io", "securitypolicies/status", "patch"),
        new("security.io", "clustersecuritypolicies/status", "patch"),
        .. ApiAccess.ListWatch("", "namespaces"),
        .. ApiAccess.ListWatch("", "pods"),
        new("", "pods/eviction", "create"),
        new("", "pods", "patch"),
        .. ApiAccess.ListWatch("networking.k8s.io", "networkpolicies"),
        new("networking.k8s.io", "networkpolicies", "create"),
        new("networking.k8s.io", "networkpolicies", "delete"),
        .. ApiAccess.ListWatch("apps", "deployments"),
        .. ApiAccess.ListWatch("apps", "replicasets"),
        .. ApiAccess.ListWatch("apps", "statefulsets"),
        .. ApiAccess.ListWatch("apps", "daemonsets"),
        .. ApiAccess.ListWatch("batch", "jobs"),
        .. ApiAccess.ListWatch("batch", "cronjobs"),
        .. ApiAccess.ListWatch("wgpolicyk8s.io", "policyreports"),
        new("wgpolicyk8s.io", "policyreports", "get"),
        new("wgpolicyk8s.io", "policyreports", "create"),
        new("wgpolicyk8s.io", "policyreports", "update"),
        new("events.k8s.io", "events", "create"),
        new("events.k8s.io", "events", "get"),
        new("events.k8s.io", "events", "patch"),
        new("coordination.k8s.io", "leases", "get"),
        new("coordination.k8s.io", "leases", "create"),
        new("coordination.k8s.io", "leases", "update"),
        .. Admission.Certificates.WebhookCertificateApiAccess.Calls,
        .. Compliance.Scans.ComplianceScanApiAccess.Controller,
        .. NetworkPolicies.NetworkPolicyAutomationApiAccess.Calls,
    ];
}
