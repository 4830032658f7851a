using System.Text.Json;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>Lists what the section 5 checks read, through the operator's client (paged, 500 per page). Every call is
/// declared in <see cref="ComplianceApiAccess.ClusterScan"/>.</summary>
public sealed class ClusterObjectLoader(KubeClient client)
{
    public async Task<ClusterObjects> LoadAsync(CancellationToken cancellationToken = default)
    {
        var rbac = RbacJsonContext.Default;
        var kube = KubeJsonContext.Default;
        var clusterRoles = await client.ListAllAsync(RbacResources.ClusterRoles, null, rbac.KubeListRbacRole, cancellationToken: cancellationToken).ConfigureAwait(false);
        var roles = await client.ListAllAsync(RbacResources.Roles, null, rbac.KubeListRbacRole, cancellationToken: cancellationToken).ConfigureAwait(false);
        var clusterBindings = await client.ListAllAsync(RbacResources.ClusterRoleBindings, null, rbac.KubeListRbacBinding, cancellationToken: cancellationToken).ConfigureAwait(false);
        var bindings = await client.ListAllAsync(RbacResources.RoleBindings, null, rbac.KubeListRbacBinding, cancellationToken: cancellationToken).ConfigureAwait(false);
        var accounts = await client.ListAllAsync(KubeResource.ServiceAccounts, null, kube.KubeListServiceAccount, cancellationToken: cancellationToken).ConfigureAwait(false);
        var namespaces = await client.ListAllAsync(KubeResource.Namespaces, null, kube.KubeListNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var policies = await client.ListAllAsync(KubeResource.NetworkPolicies, null, kube.KubeListNetworkPolicy, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pods = await client.ListAllAsync(KubeResource.Pods, null, kube.KubeListPod, cancellationToken: cancellationToken).ConfigureAwait(false);
        // List items carry no kind; the checks name objects by kind.
        foreach (var r in clusterRoles.Items) r.Kind ??= "ClusterRole";
        foreach (var r in roles.Items) r.Kind ??= "Role";
        foreach (var b in clusterBindings.Items) b.Kind ??= "ClusterRoleBinding";
        foreach (var b in bindings.Items) b.Kind ??= "RoleBinding";
        return new ClusterObjects(clusterRoles.Items, roles.Items, clusterBindings.Items, bindings.Items, accounts.Items,
            namespaces.Items, policies.Items,
            pods.Items.Select(p => new PodJson(p.Metadata.Namespace ?? "", p.Metadata.Name ?? "", JsonSerializer.SerializeToUtf8Bytes(p, kube.Pod))).ToList());
    }
}
