namespace SecurityOperator.Kube;

/// <summary>Where a kind lives in the REST API: group/version, plural resource name, and whether it is namespaced.
/// Builds the request paths the way kube-apiserver routes them (core group under /api, the rest under /apis).</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path: /api/v1/namespaces/{ns}/pods, /apis/security.io/v1/securitypolicies (all namespaces), ...</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
    }

    /// <summary>The path of one object, optionally a subresource (status, eviction, ephemeralcontainers ...).</summary>
    public string ObjectPath(string? @namespace, string name, string? subresource = null)
    {
        if (Namespaced && string.IsNullOrEmpty(@namespace))
            throw new ArgumentException($"{Kind} is namespaced: a namespace is required to address '{name}'", nameof(@namespace));
        var path = $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{subresource}";
    }

    public static readonly KubeResource Pods = new("", "v1", "pods", "Pod", true);
    public static readonly KubeResource Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly KubeResource Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly KubeResource ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true);
    public static readonly KubeResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);
    public static readonly KubeResource Events = new("events.k8s.io", "v1", "events", "Event", true);
    public static readonly KubeResource NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true);
    public static readonly KubeResource SecurityPolicies = new("security.io", "v1", "securitypolicies", "SecurityPolicy", true);
    public static readonly KubeResource ClusterSecurityPolicies = new("security.io", "v1", "clustersecuritypolicies", "ClusterSecurityPolicy", false);
    public static readonly KubeResource PolicyReports = new("wgpolicyk8s.io", "v1alpha2", "policyreports", "PolicyReport", true);
    public static readonly KubeResource ClusterPolicyReports = new("wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", "ClusterPolicyReport", false);
}
