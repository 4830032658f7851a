using System.Net;
using System.Text.Json.Nodes;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance.NetworkPolicies;

/// <summary>Zero trust per namespace against the API double: enforce creates, re-running changes nothing, audit and
/// label removal remove only what the operator created, and a user's policy is never touched.</summary>
public class ZeroTrustReconcilerTests
{
    private static Namespace Ns(string name, string? mode) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = mode is null ? new() : new() { [ZeroTrustPolicies.Label] = mode } },
    };

    private static List<string> Stored(ApiServerDouble api, string ns) =>
        api.List(ResourceCatalog.NetworkPolicies, ns).Select(o => o.Name).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Enforce_creates_default_deny_and_dns_then_is_a_no_op()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        var reconciler = new ZeroTrustReconciler(new ManagedPolicyApplier(cluster.Client));

        var first = await reconciler.ReconcileAsync(Ns("shop", "enforce"));
        Assert.Equal([ZeroTrustPolicies.DefaultDenyName, ZeroTrustPolicies.DnsName], first.Applied.Created);
        Assert.Equal([ZeroTrustPolicies.DnsName, ZeroTrustPolicies.DefaultDenyName], Stored(cluster.Api, "shop"));

        var requestsBefore = cluster.Api.Requests.Count;
        var second = await reconciler.ReconcileAsync(Ns("shop", "enforce"));
        Assert.False(second.Applied.ChangedAnything);
        Assert.Equal(2, second.Applied.Unchanged.Count);
        Assert.Equal(1, cluster.Api.Requests.Count - requestsBefore);   // one LIST, no writes

        // What the API stored does what it should: nothing in or out, except DNS to kube-dns.
        var stored = (await cluster.Client.ListAllAsync(KubeResource.NetworkPolicies, "shop", KubeJsonContext.Default.KubeListNetworkPolicy)).Items;
        var evaluator = new NetworkPolicyEvaluator(stored);
        var app = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web" });
        var dns = TrafficEndpoint.Pod("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        Assert.True(evaluator.Evaluate(app, dns, 53, "UDP").Allowed);
        Assert.True(evaluator.Evaluate(app, dns, 53, "TCP").Allowed);
        Assert.False(evaluator.Evaluate(app, dns, 80).Allowed);
        Assert.False(evaluator.Evaluate(app, TrafficEndpoint.External(IPAddress.Parse("1.1.1.1")), 443).Allowed);
        Assert.False(evaluator.Evaluate(TrafficEndpoint.Pod("other", new Dictionary<string, string>()), app, 8080).Allowed);
        Assert.All(stored, p => Assert.Equal("security-operator", p.Metadata.Labels![ManagedNetworkPolicy.ManagedByLabel]));
    }

    [Fact]
    public async Task Audit_applies_nothing_and_removing_the_label_removes_only_what_the_operator_created()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        cluster.Api.Seed(ResourceCatalog.NetworkPolicies, JsonNode.Parse(
            """{"metadata":{"name":"team-allow-web","namespace":"shop","labels":{"security.io/network-policy":"zero-trust"}},"spec":{"podSelector":{}}}""")!.AsObject());
        var reconciler = new ZeroTrustReconciler(new ManagedPolicyApplier(cluster.Client));

        var audit = await reconciler.ReconcileAsync(Ns("shop", "audit"));
        Assert.Equal(ZeroTrustPolicies.Mode.Audit, audit.Mode);
        Assert.Equal(2, audit.Planned.Count);
        Assert.False(audit.Applied.ChangedAnything);
        Assert.Equal(["team-allow-web"], Stored(cluster.Api, "shop"));

        await reconciler.ReconcileAsync(Ns("shop", "enforce"));
        Assert.Equal(3, Stored(cluster.Api, "shop").Count);
        var off = await reconciler.ReconcileAsync(Ns("shop", null));
        Assert.Equal([ZeroTrustPolicies.DnsName, ZeroTrustPolicies.DefaultDenyName], off.Applied.Deleted);   // name order
        Assert.Equal(["team-allow-web"], Stored(cluster.Api, "shop"));

        var undeclared = cluster.Api.Requests.Select(r => ApiAccessOfRequest.Map(r.Method, r.Path, r.Query))
            .Where(a => a is null || !ComplianceApiAccess.NetworkPolicyAutomation.Contains(a.Value)).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task A_users_policy_with_the_same_name_is_a_conflict_left_alone()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        cluster.Api.Seed(ResourceCatalog.NetworkPolicies, JsonNode.Parse(
            """{"metadata":{"name":"security-operator-default-deny","namespace":"shop"},"spec":{"podSelector":{"matchLabels":{"x":"y"}}}}""")!.AsObject());
        var result = await new ZeroTrustReconciler(new ManagedPolicyApplier(cluster.Client)).ReconcileAsync(Ns("shop", "enforce"));
        Assert.Equal([ZeroTrustPolicies.DefaultDenyName], result.Applied.Conflicts);
        var kept = cluster.Api.Get(ResourceCatalog.NetworkPolicies, "shop", ZeroTrustPolicies.DefaultDenyName)!;
        Assert.Equal("y", kept.Object["spec"]!["podSelector"]!["matchLabels"]!["x"]!.GetValue<string>());
    }
}
