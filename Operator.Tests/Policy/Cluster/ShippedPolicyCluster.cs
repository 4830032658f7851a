using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;

namespace SecurityOperator.Tests.Policy.Cluster;

/// <summary>A double that serves the policy kinds as the CRDs shipped in manifests/crds define them. The catalog's
/// SecurityPolicy types reproduce the CRD recorded in crd-02, whose schema defaulted spec.enforcement and
/// rules[].severity; the shipped schema has no such fields (the compiler rejects them as unknown), so these copies
/// (equal in every flag but not the same record, which is how the double picks its per-kind defaults) get none.</summary>
internal static class ShippedPolicyCluster
{
    public static readonly ResourceType SecurityPolicies = ResourceCatalog.SecurityPolicies with { ShortNames = new List<string> { "secpol" } };
    public static readonly ResourceType ClusterSecurityPolicies = ResourceCatalog.ClusterSecurityPolicies with { ShortNames = new List<string>() };

    /// <param name="flowReports">False: the NetworkFlowReport CRD is not installed (its resource is not served).</param>
    /// <param name="policyReports">False: the wgpolicyk8s.io CRDs (PolicyReport, ClusterPolicyReport) are not installed.</param>
    public static async Task<DoubleCluster> StartAsync(ApiServerDoubleOptions? options = null, bool flowReports = true, bool policyReports = true)
    {
        options ??= new ApiServerDoubleOptions();
        options.RegisterCommonResources = false;
        var namespaces = options.InitialNamespaces;
        options.InitialNamespaces = []; // seeded below, once namespaces are served
        var cluster = await DoubleCluster.StartAsync(options);
        foreach (var type in ResourceCatalog.Common)
        {
            if (type == ResourceCatalog.SecurityPolicies || type == ResourceCatalog.ClusterSecurityPolicies) continue;
            cluster.Api.Register(type);
        }
        cluster.Api.Register(SecurityPolicies);
        cluster.Api.Register(ClusterSecurityPolicies);
        if (policyReports)
        {
            cluster.Api.Register(ResourceCatalog.PolicyReports);
            cluster.Api.Register(ResourceCatalog.ClusterPolicyReports);
        }
        // The controller watches the node agents' flow reports (manifests/crds/security.io_networkflowreports.yaml).
        if (flowReports) cluster.Api.Register(ResourceType.From(SecurityOperator.Compliance.NetworkPolicies.NetworkFlowReport.Resource));
        foreach (var ns in namespaces) cluster.SeedNamespace(ns);
        return cluster;
    }
}
