using SecurityOperator.Kube.Access;

namespace SecurityOperator.Admission;

/// <summary>The API calls of --role webhook: it watches the policies and namespace labels it decides with.</summary>
public static class WebhookApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("security.io", "securitypolicies"),
        .. ApiAccess.ListWatch("security.io", "clustersecuritypolicies"),
        .. ApiAccess.ListWatch("", "namespaces"),
    ];
}
