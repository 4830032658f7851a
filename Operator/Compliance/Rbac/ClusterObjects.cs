using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>Everything the section 5 checks read, as listed from the API (or from JSON fixtures in tests). Pods are
/// kept as their JSON so the policy engine evaluates exactly what the API server returned.</summary>
public sealed record ClusterObjects(
    IReadOnlyList<RbacRole> ClusterRoles,
    IReadOnlyList<RbacRole> Roles,
    IReadOnlyList<RbacBinding> ClusterRoleBindings,
    IReadOnlyList<RbacBinding> RoleBindings,
    IReadOnlyList<ServiceAccount> ServiceAccounts,
    IReadOnlyList<Namespace> Namespaces,
    IReadOnlyList<NetworkPolicy> NetworkPolicies,
    IReadOnlyList<PodJson> Pods);

/// <summary>One pod: namespace, name and its JSON bytes.</summary>
public sealed record PodJson(string Namespace, string Name, byte[] Json);
