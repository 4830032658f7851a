using SecurityOperator.Kube;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>REST locations of the kinds the compliance scan lists that <see cref="KubeResource"/> does not name.</summary>
public static class RbacResources
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static readonly KubeResource ClusterRoles = new(RbacGroup, "v1", "clusterroles", "ClusterRole", false);
    public static readonly KubeResource Roles = new(RbacGroup, "v1", "roles", "Role", true);
    public static readonly KubeResource ClusterRoleBindings = new(RbacGroup, "v1", "clusterrolebindings", "ClusterRoleBinding", false);
    public static readonly KubeResource RoleBindings = new(RbacGroup, "v1", "rolebindings", "RoleBinding", true);
}
