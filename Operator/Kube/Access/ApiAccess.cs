namespace SecurityOperator.Kube.Access;

/// <summary>One permission a role's code needs, in the shape of an RBAC rule: API group ("" for core), resource
/// (with "/subresource" when it is one, e.g. "pods/eviction", "securitypolicies/status") and verb (get, list, watch,
/// create, update, patch, delete, deletecollection). Each role declares the complete list of what it calls; the
/// manifests' RBAC is checked against that list in both directions by the tests.</summary>
public readonly record struct ApiAccess(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}";

    /// <summary>The read trio an informer needs (initial list, watch) plus get for single reads.</summary>
    public static IEnumerable<ApiAccess> ListWatch(string group, string resource) =>
        [new(group, resource, "list"), new(group, resource, "watch")];
}
