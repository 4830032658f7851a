namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The kinds every double serves from the start. Flags follow kube-apiserver v1.28 registry strategies; the
/// SelectableFields lists come from pods-04 (pods) and events-01 (core events).</summary>
public static class ResourceCatalog
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false)
    { HasStatusSubresource = true, ReturnsObjectOnDelete = true, SupportsDeleteCollection = false, ShortNames = ["ns"], SelectableFields = ["status.phase"] };

    public static readonly ResourceType Pods = new("", "v1", "pods", "pod", "Pod", true)
    {
        HasStatusSubresource = true,
        ReturnsObjectOnDelete = true,
        ShortNames = ["po"],
        ExtraSubresources = ["eviction"],
        // pods-04 header: the field labels kube-apiserver accepts for pods.
        SelectableFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
    };

    public static readonly ResourceType Nodes = new("", "v1", "nodes", "node", "Node", false)
    { HasStatusSubresource = true, ShortNames = ["no"], SelectableFields = ["spec.unschedulable"] };

    public static readonly ResourceType CoreEvents = new("", "v1", "events", "event", "Event", true)
    {
        AllowCreateOnUpdate = true,
        ShortNames = ["ev"],
        SelectableFields = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type"],
    };

    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap", true) { ShortNames = ["cm"] };
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "secret", "Secret", true) { SelectableFields = ["type"] };
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true) { ShortNames = ["sa"] };
    public static readonly ResourceType Services = new("", "v1", "services", "service", "Service", true) { HasStatusSubresource = true, ShortNames = ["svc"] };

    public static readonly ResourceType Events = new("events.k8s.io", "v1", "events", "event", "Event", true) { ShortNames = ["ev"], InternalGroup = "" };
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true) { AllowCreateOnUpdate = true };
    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true)
    { TracksGeneration = true, ShortNames = ["netpol"] };
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true)
    { HasStatusSubresource = true, TracksGeneration = true, ShortNames = ["pdb"] };

    public static readonly ResourceType Deployments = Workload("deployments", "Deployment", ["deploy"]);
    public static readonly ResourceType ReplicaSets = Workload("replicasets", "ReplicaSet", ["rs"]);
    public static readonly ResourceType StatefulSets = Workload("statefulsets", "StatefulSet", ["sts"]);
    public static readonly ResourceType DaemonSets = Workload("daemonsets", "DaemonSet", ["ds"]);
    public static readonly ResourceType Jobs = new("batch", "v1", "jobs", "job", "Job", true) { HasStatusSubresource = true, TracksGeneration = true };
    public static readonly ResourceType CronJobs = new("batch", "v1", "cronjobs", "cronjob", "CronJob", true)
    { HasStatusSubresource = true, TracksGeneration = true, ShortNames = ["cj"] };

    public static readonly ResourceType Roles = Rbac("roles", "Role", true);
    public static readonly ResourceType RoleBindings = Rbac("rolebindings", "RoleBinding", true);
    public static readonly ResourceType ClusterRoles = Rbac("clusterroles", "ClusterRole", false);
    public static readonly ResourceType ClusterRoleBindings = Rbac("clusterrolebindings", "ClusterRoleBinding", false);

    public static readonly ResourceType ValidatingWebhookConfigurations = new("admissionregistration.k8s.io", "v1",
        "validatingwebhookconfigurations", "validatingwebhookconfiguration", "ValidatingWebhookConfiguration", false) { TracksGeneration = true };
    public static readonly ResourceType MutatingWebhookConfigurations = new("admissionregistration.k8s.io", "v1",
        "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "MutatingWebhookConfiguration", false) { TracksGeneration = true };

    /// <summary>The operator's CRDs as crd-01 installs them: status subresource on, shortName secpol, category security.</summary>
    public static readonly ResourceType SecurityPolicies = new("security.io", "v1", "securitypolicies", "securitypolicy", "SecurityPolicy", true)
    { HasStatusSubresource = true, IsCustom = true, TracksGeneration = true, AllowUnconditionalUpdate = false, ShortNames = ["secpol"] };
    public static readonly ResourceType ClusterSecurityPolicies = new("security.io", "v1", "clustersecuritypolicies", "clustersecuritypolicy", "ClusterSecurityPolicy", false)
    { HasStatusSubresource = true, IsCustom = true, TracksGeneration = true, AllowUnconditionalUpdate = false };

    /// <summary>wgpolicyk8s.io is NOT pre-registered: the recorded cluster did not serve it (errors-404 REQUEST 5). Tests that
    /// want it call Register(ResourceCatalog.PolicyReports).</summary>
    public static readonly ResourceType PolicyReports = new("wgpolicyk8s.io", "v1alpha2", "policyreports", "policyreport", "PolicyReport", true)
    { IsCustom = true, TracksGeneration = true, AllowUnconditionalUpdate = false, ShortNames = ["polr"] };
    public static readonly ResourceType ClusterPolicyReports = new("wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", "clusterpolicyreport", "ClusterPolicyReport", false)
    { IsCustom = true, TracksGeneration = true, AllowUnconditionalUpdate = false, ShortNames = ["cpolr"] };

    /// <summary>Registered by <see cref="ApiServerDouble.StartAsync"/> unless the options say otherwise.</summary>
    public static IReadOnlyList<ResourceType> Common { get; } =
    [
        Namespaces, Pods, Nodes, CoreEvents, ConfigMaps, Secrets, ServiceAccounts, Services,
        Events, Leases, NetworkPolicies, PodDisruptionBudgets,
        Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs,
        Roles, RoleBindings, ClusterRoles, ClusterRoleBindings,
        ValidatingWebhookConfigurations, MutatingWebhookConfigurations,
        SecurityPolicies, ClusterSecurityPolicies,
    ];

    private static ResourceType Workload(string plural, string kind, string[] shortNames) =>
        new("apps", "v1", plural, kind.ToLowerInvariant(), kind, true)
        { HasStatusSubresource = true, TracksGeneration = true, ShortNames = shortNames };

    private static ResourceType Rbac(string plural, string kind, bool namespaced) =>
        new("rbac.authorization.k8s.io", "v1", plural, kind.ToLowerInvariant(), kind, namespaced);
}
