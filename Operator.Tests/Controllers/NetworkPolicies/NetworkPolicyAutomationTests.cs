using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Controllers;
using SecurityOperator.Controllers.NetworkPolicies;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Controllers.NetworkPolicies;

/// <summary>The leading controller against the API double: the zero-trust label adds and removes the operator's
/// policies, flow reports become applied allow policies in enforce namespaces only, and a second pass writes nothing.</summary>
public sealed class NetworkPolicyAutomationTests
{
    private static readonly ResourceType Reports = ResourceType.From(NetworkFlowReport.Resource);

    private static JsonObject Namespace(string name, string? mode) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = mode is null
                ? new JsonObject { ["kubernetes.io/metadata.name"] = name }
                : new JsonObject { ["kubernetes.io/metadata.name"] = name, [ZeroTrustPolicies.Label] = mode },
        },
    };

    private static void Pod(ApiServerDouble api, string ns, string name, string app, string ownerKind, string owner, string ip)
    {
        api.Seed(ResourceCatalog.Pods, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app, ["pod-template-hash"] = "5d8f7c" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = ownerKind, ["name"] = owner, ["uid"] = Guid.NewGuid().ToString(), ["controller"] = true,
                }),
            },
            ["spec"] = Workloads.PodSpec(privileged: false),
        });
        api.SetStatus(ResourceCatalog.Pods, ns, name, new JsonObject { ["phase"] = "Running", ["podIP"] = ip });
    }

    private static void Report(ApiServerDouble api, string ns, string node, params (string App, string Name, string Cidr, int Port)[] flows)
    {
        var report = new NetworkFlowReport { Metadata = new ObjectMeta { Name = node, Namespace = ns } };
        report.Spec.NodeName = node;
        foreach (var (app, name, cidr, port) in flows)
            report.Spec.Flows.Add(new FlowRecord
            {
                Source = new FlowWorkload { Namespace = ns, Kind = "Deployment", Name = name, Labels = new() { ["app"] = app } },
                Destination = new FlowDestination { Cidr = cidr }, Port = port, Count = 4, LastSeen = DateTimeOffset.UtcNow,
            });
        api.Seed(Reports, JsonSerializer.SerializeToNode(report, FlowJsonContext.Default.NetworkFlowReport)!.AsObject());
    }

    private static List<string> Names(ApiServerDouble api, string ns) =>
        api.List(ResourceCatalog.NetworkPolicies, ns).Select(o => o.Name).Order(StringComparer.Ordinal).ToList();

    private static void UserPolicy(ApiServerDouble api, string ns) => api.Seed(ResourceCatalog.NetworkPolicies, new JsonObject
    {
        ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "NetworkPolicy",
        ["metadata"] = new JsonObject { ["name"] = "team-allow", ["namespace"] = ns },
        ["spec"] = new JsonObject { ["podSelector"] = new JsonObject(), ["policyTypes"] = new JsonArray("Ingress") },
    });

    /// <summary>Writes of NetworkPolicies (the audit also writes PolicyReports and Events meanwhile).</summary>
    private static List<string> PolicyWrites(ControllerHarness h) =>
        h.Writes().Where(r => r.Path.Contains("/networkpolicies", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path}").ToList();

    private static void AllDeclared(ControllerHarness h) =>
        Assert.All(h.Api.Requests, r => Assert.True(ControllerApiAccess.Calls.Any(c => c == ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)), $"undeclared: {r}"));

    [Fact]
    public async Task A_labelled_namespace_gets_default_deny_and_dns_and_loses_only_them_when_the_label_goes()
    {
        await using var h = await ControllerHarness.CreateAsync();
        h.Api.Seed(ResourceCatalog.Namespaces, Namespace("shop", "enforce"));
        h.Api.Seed(ResourceCatalog.Namespaces, Namespace("lab", "audit"));
        UserPolicy(h.Api, "shop");
        await h.StartAsync();

        string[] zeroTrust = [ZeroTrustPolicies.DnsName, ZeroTrustPolicies.DefaultDenyName];
        await Eventually.WaitUntilAsync(() => Names(h.Api, "shop").Count == 3, "the zero-trust policies in shop");
        Assert.Equal([.. zeroTrust, "team-allow"], Names(h.Api, "shop"));
        Assert.Empty(Names(h.Api, "lab"));   // audit: computed and logged, nothing applied

        h.Api.Update(ResourceCatalog.Namespaces, Namespace("shop", null));
        await Eventually.WaitUntilAsync(() => Names(h.Api, "shop").Count == 1, "the zero-trust policies to be removed");
        Assert.Equal(["team-allow"], Names(h.Api, "shop"));
        AllDeclared(h);
    }

    [Fact]
    public async Task Flow_reports_become_allow_policies_in_enforce_namespaces_and_a_second_pass_writes_nothing()
    {
        await using var h = await ControllerHarness.CreateAsync();
        h.Api.Seed(ResourceCatalog.Namespaces, Namespace("shop", "enforce"));
        h.Api.Seed(ResourceCatalog.Namespaces, Namespace("monitoring", "audit"));
        Pod(h.Api, "shop", "web-5d8f7c-a", "web", "ReplicaSet", "web-5d8f7c", "10.244.1.5");
        Pod(h.Api, "shop", "db-0", "db", "StatefulSet", "db", "10.244.2.9");
        Pod(h.Api, "monitoring", "prometheus-5d8f7c-b", "prometheus", "ReplicaSet", "prometheus-5d8f7c", "10.244.3.3");
        // The db lives on node-b: node-a publishes it as an address; web's own node knows prometheus only as one too.
        Pod(h.Api, "shop", "cache-5d8f7c-c", "cache", "ReplicaSet", "cache-5d8f7c", "10.244.2.11");
        h.Api.Seed(ResourceCatalog.Services, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "cache", ["namespace"] = "shop" },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "10.96.0.30", ["selector"] = new JsonObject { ["app"] = "cache" },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 6379, ["targetPort"] = 6380, ["protocol"] = "TCP" }),
            },
        });
        Report(h.Api, "shop", "node-a", ("web", "web", "10.244.2.9/32", 5432), ("web", "web", "203.0.113.7/32", 443), ("web", "web", "10.96.0.30/32", 6379));
        Report(h.Api, "monitoring", "node-c", ("prometheus", "prometheus", "10.244.1.5/32", 9090));
        await h.StartAsync();

        const string web = "security-operator-flows-deployment-web", db = "security-operator-flows-statefulset-db";
        await Eventually.WaitUntilAsync(() => Names(h.Api, "shop").Contains(web) && Names(h.Api, "shop").Contains(db), "generated policies in shop");
        Assert.Empty(Names(h.Api, "monitoring"));   // audit: prometheus's egress policy is only logged

        var stored = h.Api.List(ResourceCatalog.NetworkPolicies).Select(o => JsonSerializer.Deserialize(o.Object.ToJsonString(), KubeJsonContext.Default.NetworkPolicy)!).ToList();
        var webPolicy = stored.Single(p => p.Metadata.Name == web);
        Assert.Equal("security-operator", webPolicy.Metadata.Labels![ManagedNetworkPolicy.ManagedByLabel]);
        Assert.Equal(ManagedNetworkPolicy.Hash(webPolicy.Spec!), webPolicy.Metadata.Annotations![ManagedNetworkPolicy.HashAnnotation]);
        Assert.Equal("monitoring/Deployment/prometheus -> shop/Deployment/web TCP/9090\nshop/Deployment/web -> 203.0.113.7/32 TCP/443\nshop/Deployment/web -> shop/Deployment/cache TCP/6380\nshop/Deployment/web -> shop/StatefulSet/db TCP/5432",
            webPolicy.Metadata.Annotations[FlowPolicyPlanner.AdmittedFlowsAnnotation]);

        // What the API holds (zero trust plus generated) lets exactly the observed flows through.
        await Eventually.WaitUntilAsync(() => Names(h.Api, "shop").Count == 5, "zero trust and generated policies");
        stored = h.Api.List(ResourceCatalog.NetworkPolicies).Select(o => JsonSerializer.Deserialize(o.Object.ToJsonString(), KubeJsonContext.Default.NetworkPolicy)!).ToList();
        var evaluator = new NetworkPolicyEvaluator(stored);
        var webPod = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "5d8f7c" });
        var dbPod = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "db" });
        var prometheus = TrafficEndpoint.Pod("monitoring", new Dictionary<string, string> { ["app"] = "prometheus" });
        Assert.True(evaluator.Evaluate(webPod, dbPod, 5432).Allowed);
        var cachePod = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "cache" });
        Assert.True(evaluator.Evaluate(webPod, cachePod, 6380).Allowed);   // the Service's target port, after translation
        Assert.False(evaluator.Evaluate(dbPod, cachePod, 6380).Allowed);
        Assert.False(evaluator.Evaluate(webPod, dbPod, 5433).Allowed);
        Assert.True(evaluator.Evaluate(prometheus, webPod, 9090).Allowed);
        Assert.False(evaluator.Evaluate(prometheus, dbPod, 5432).Allowed);
        Assert.True(evaluator.Evaluate(webPod, TrafficEndpoint.External(System.Net.IPAddress.Parse("203.0.113.7")), 443).Allowed);
        Assert.False(evaluator.Evaluate(webPod, TrafficEndpoint.External(System.Net.IPAddress.Parse("203.0.113.8")), 443).Allowed);

        var writes = PolicyWrites(h);
        await h.Runtime.NetworkAutomation.ReconcileFlowsAsync(CancellationToken.None);
        Assert.Equal(writes, PolicyWrites(h));

        // The label goes: the generated policies and zero trust go, a user's policy stays.
        UserPolicy(h.Api, "shop");
        h.Api.Update(ResourceCatalog.Namespaces, Namespace("shop", null));
        await Eventually.WaitUntilAsync(() => Names(h.Api, "shop").Count == 1, "the operator's policies to be removed from shop");
        Assert.Equal(["team-allow"], Names(h.Api, "shop"));
        AllDeclared(h);
    }

    [Fact]
    public async Task Audit_mode_applies_nothing()
    {
        await using var h = await ControllerHarness.CreateAsync();
        h.Api.Seed(ResourceCatalog.Namespaces, Namespace("shop", "audit"));
        Pod(h.Api, "shop", "db-0", "db", "StatefulSet", "db", "10.244.2.9");
        Report(h.Api, "shop", "node-a", ("web", "web", "10.244.2.9/32", 5432));
        await h.StartAsync();

        await h.Runtime.NetworkAutomation.ReconcileZeroTrustAsync("shop", CancellationToken.None);
        await h.Runtime.NetworkAutomation.ReconcileFlowsAsync(CancellationToken.None);
        Assert.Empty(Names(h.Api, "shop"));
        Assert.DoesNotContain(h.Writes(), r => r.Path.Contains("networkpolicies", StringComparison.Ordinal));
    }
}
