using System.Net;
using System.Text.Json;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Compliance.NetworkPolicies;

/// <summary>Least-privilege policies from synthetic flows: selectors from stable labels, namespaces by name, CIDRs for
/// outside addresses, every observed flow still allowed and nothing else, and a no-op when regenerated.</summary>
public class FlowPolicyGeneratorTests
{
    private static FlowWorkload Workload(string ns, string kind, string name, params (string, string)[] labels) =>
        new() { Namespace = ns, Kind = kind, Name = name, Labels = labels.ToDictionary(l => l.Item1, l => l.Item2) };

    private static readonly FlowWorkload Web = Workload("shop", "Deployment", "web", ("app", "web"), ("pod-template-hash", "5d9f7c"));
    private static readonly FlowWorkload Db = Workload("shop", "StatefulSet", "db", ("app", "db"), ("controller-revision-hash", "db-7b"), ("statefulset.kubernetes.io/pod-name", "db-0"));
    private static readonly FlowWorkload Prometheus = Workload("monitoring", "Deployment", "prometheus", ("app", "prometheus"));

    private static FlowRecord Flow(FlowWorkload source, FlowWorkload? target, string? cidr, int port, string protocol = "TCP") => new()
    {
        Source = source, Destination = new FlowDestination { Workload = target, Cidr = cidr }, Port = port, Protocol = protocol, Count = 3,
        LastSeen = new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero),
    };

    private static readonly FlowRecord[] Flows =
    [
        Flow(Web, Db, null, 5432),
        Flow(Web, null, "203.0.113.7/32", 443),
        Flow(Prometheus, Web, null, 9090),
        Flow(Prometheus, Db, null, 9187),
        Flow(Web, Db, null, 5432),   // the same flow from another node's report
    ];

    [Fact]
    public void One_policy_per_workload_with_stable_selectors_namespace_names_and_cidrs()
    {
        var plan = FlowPolicyGenerator.Generate(Flows, []);
        Assert.Empty(plan.BlockedFlows);
        var byName = plan.Policies.ToDictionary(p => p.Policy.Metadata.Name!);
        Assert.Equal(["security-operator-flows-deployment-prometheus", "security-operator-flows-deployment-web", "security-operator-flows-statefulset-db"],
            byName.Keys.Order(StringComparer.Ordinal));

        var web = byName["security-operator-flows-deployment-web"].Policy;
        Assert.Equal("shop", web.Metadata.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, web.Spec!.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], web.Spec.PolicyTypes);
        var toDb = web.Spec.Egress![1].To!.Single();
        Assert.Equal(new Dictionary<string, string> { ["app"] = "db" }, toDb.PodSelector!.MatchLabels);
        Assert.Equal("shop", toDb.NamespaceSelector!.MatchLabels!["kubernetes.io/metadata.name"]);
        Assert.Equal("203.0.113.7/32", web.Spec.Egress[0].To!.Single().IpBlock!.Cidr);
        Assert.Equal(5432, web.Spec.Egress[1].Ports!.Single().Port!.Value.GetInt32());
        var fromPrometheus = web.Spec.Ingress!.Single().From!.Single();
        Assert.Equal("monitoring", fromPrometheus.NamespaceSelector!.MatchLabels!["kubernetes.io/metadata.name"]);

        var prometheus = byName["security-operator-flows-deployment-prometheus"].Policy;
        Assert.Equal(["Egress"], prometheus.Spec!.PolicyTypes);   // nothing observed connecting to it: ingress untouched
        Assert.Equal(Flows.Where(f => f.Destination.Workload == Db), byName["security-operator-flows-statefulset-db"].AdmittedFlows);
    }

    [Fact]
    public void The_generated_policies_admit_the_observed_flows_and_nothing_else()
    {
        var plan = FlowPolicyGenerator.Generate(Flows, []);
        var evaluator = new NetworkPolicyEvaluator(plan.Policies.Select(p => p.Policy));
        var web = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "other-rollout" });
        var db = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "db", ["statefulset.kubernetes.io/pod-name"] = "db-1" });
        Assert.True(evaluator.Evaluate(web, db, 5432).Allowed);    // a new rollout's pods still match
        Assert.False(evaluator.Evaluate(web, db, 5433).Allowed);
        Assert.False(evaluator.Evaluate(db, web, 9090).Allowed);
        Assert.False(evaluator.Evaluate(web, TrafficEndpoint.External(IPAddress.Parse("203.0.113.8")), 443).Allowed);
        Assert.True(evaluator.Evaluate(web, TrafficEndpoint.External(IPAddress.Parse("203.0.113.7")), 443).Allowed);
    }

    [Fact]
    public void Flows_an_existing_default_deny_would_block_are_still_allowed_and_none_reported_blocked()
    {
        var deny = NetworkPolicyEvaluatorTests.Policy("shop", "deny", """{"podSelector":{},"policyTypes":["Ingress","Egress"]}""");
        Assert.Empty(FlowPolicyGenerator.Generate(Flows, [deny]).BlockedFlows);
    }

    [Fact]
    public void Regenerating_from_the_same_flows_in_another_order_gives_the_same_hashes_and_applies_nothing()
    {
        var first = FlowPolicyGenerator.Generate(Flows, []).Policies.Select(p => ManagedNetworkPolicy.HashOf(p.Policy)).ToList();
        var again = FlowPolicyGenerator.Generate(Flows.AsEnumerable().Reverse().ToArray(), []).Policies.Select(p => ManagedNetworkPolicy.HashOf(p.Policy)).ToList();
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Applying_twice_through_the_api_writes_once()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        cluster.SeedNamespace("monitoring");
        var applier = new ManagedPolicyApplier(cluster.Client);
        async Task<int> ApplyAll()
        {
            var changes = 0;
            foreach (var group in FlowPolicyGenerator.Generate(Flows, []).Policies.GroupBy(p => p.Policy.Metadata.Namespace!))
                changes += (await applier.ApplyAsync(group.Key, FlowPolicyGenerator.Purpose, group.Select(g => g.Policy).ToList(), dryRun: false)).Created.Count;
            return changes;
        }
        Assert.Equal(3, await ApplyAll());
        var writes = cluster.Api.Requests.Count(r => r.Method != "GET");
        Assert.Equal(0, await ApplyAll());
        Assert.Equal(writes, cluster.Api.Requests.Count(r => r.Method != "GET"));
    }

    [Fact]
    public async Task A_flow_report_round_trips_through_the_api_with_its_crd()
    {
        var crdPath = Path.Combine(SecurityOperator.Tests.Support.RepositoryPaths.Root, "manifests", "crds", "security.io_networkflowreports.yaml");
        var crd = YamlToJson.ConvertAll(File.ReadAllText(crdPath), crdPath).Single();
        using var crdJson = JsonDocument.Parse(crd.Json);
        Assert.Equal(1000, crdJson.RootElement.GetProperty("spec").GetProperty("versions")[0].GetProperty("schema").GetProperty("openAPIV3Schema")
            .GetProperty("properties").GetProperty("spec").GetProperty("properties").GetProperty("flows").GetProperty("maxItems").GetInt32());
        Assert.Equal(NetworkFlowReport.MaxFlows, 1000);

        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        cluster.Api.Register(ResourceType.From(NetworkFlowReport.Resource));
        var report = new NetworkFlowReport { Metadata = new ObjectMeta { Name = "node-a", Namespace = "shop" } };
        report.Spec.NodeName = "node-a";
        report.Spec.Flows.AddRange(Flows.Where(f => f.Source.Namespace == "shop"));
        await cluster.Client.CreateAsync(NetworkFlowReport.Resource, "shop", report, FlowJsonContext.Default.NetworkFlowReport);
        var listed = await cluster.Client.ListAllAsync(NetworkFlowReport.Resource, "shop", FlowJsonContext.Default.KubeListNetworkFlowReport);
        var flows = listed.Items.Single().Spec.Flows;
        Assert.Equal(3, flows.Count);
        Assert.Equal("203.0.113.7/32", flows[1].Destination.Cidr);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero), flows[0].LastSeen);
    }
}
