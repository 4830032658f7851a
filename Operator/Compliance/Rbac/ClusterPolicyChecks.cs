namespace SecurityOperator.Compliance.Rbac;

/// <summary>Ids and titles of the section 5 (policies) checks this scan evaluates from the API. All of them are Manual
/// in the benchmark (a person decides whether an offender is justified), so offenders make a check WARN, none PASS.
/// Ids are the same in v1.8 and v1.12.</summary>
public static class ClusterPolicyChecks
{
    public sealed record Definition(string Id, string Title, int Level, string Remediation);

    public static readonly Definition ClusterAdmin = new("5.1.1", "Ensure that the cluster-admin role is only used where required", 1,
        "Bind a narrower role instead of cluster-admin (kubectl delete clusterrolebinding NAME after granting what is needed).");
    public static readonly Definition Secrets = new("5.1.2", "Minimize access to secrets", 1,
        "Remove get, list and watch on secrets from roles that do not strictly need them.");
    public static readonly Definition Wildcards = new("5.1.3", "Minimize wildcard use in Roles and ClusterRoles", 1,
        "Replace * in verbs, resources and apiGroups with the exact verbs and resources needed.");
    public static readonly Definition PodCreate = new("5.1.4", "Minimize access to create pods", 1,
        "Remove create on pods (and * on all resources) from roles that do not need it: creating a pod can use any service account of its namespace.");
    public static readonly Definition DefaultServiceAccounts = new("5.1.5", "Ensure that default service accounts are not actively used", 1,
        "Set automountServiceAccountToken: false on every namespace's default ServiceAccount, give workloads their own, and bind no role to default.");
    public static readonly Definition TokenMounts = new("5.1.6", "Ensure that Service Account Tokens are only mounted where necessary", 1,
        "Set automountServiceAccountToken: false on pods (or their ServiceAccounts) that never call the API.");
    public static readonly Definition Privileged = new("5.2.2", "Minimize the admission of privileged containers", 1,
        "Remove securityContext.privileged: true, and enforce Pod Security baseline or restricted on the namespace.");
    public static readonly Definition HostPid = new("5.2.3", "Minimize the admission of containers wishing to share the host process ID namespace", 1,
        "Remove hostPID: true, and enforce Pod Security baseline or restricted on the namespace.");
    public static readonly Definition HostIpc = new("5.2.4", "Minimize the admission of containers wishing to share the host IPC namespace", 1,
        "Remove hostIPC: true, and enforce Pod Security baseline or restricted on the namespace.");
    public static readonly Definition HostNetwork = new("5.2.5", "Minimize the admission of containers wishing to share the host network namespace", 1,
        "Remove hostNetwork: true, and enforce Pod Security baseline or restricted on the namespace.");
    public static readonly Definition NetworkPolicies = new("5.3.2", "Ensure that all Namespaces have Network Policies defined", 2,
        "Create at least a default-deny NetworkPolicy in each namespace (or label it security.io/zero-trust=enforce).");
    public static readonly Definition SecretsAsEnv = new("5.4.1", "Prefer using Secrets as files over Secrets as environment variables", 2,
        "Mount the Secret as a volume instead of env valueFrom.secretKeyRef or envFrom.secretRef.");

    public static readonly IReadOnlyList<Definition> All =
        [ClusterAdmin, Secrets, Wildcards, PodCreate, DefaultServiceAccounts, TokenMounts, Privileged, HostPid, HostIpc, HostNetwork, NetworkPolicies, SecretsAsEnv];
}
