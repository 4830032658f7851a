using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Controllers.NetworkPolicies;
using SecurityOperator.Kube.Models;
using Mode = SecurityOperator.Compliance.NetworkPolicies.ZeroTrustPolicies.Mode;

namespace SecurityOperator.Tests.Controllers.NetworkPolicies;

/// <summary>The cluster-wide plan from flow reports: address resolution, merging across nodes, modes, the
/// "every observed flow stays allowed" check and the admitted-flows annotation.</summary>
public sealed class FlowPolicyPlannerTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NoLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    private static FlowWorkload Workload(string ns, string kind, string name, string? app) =>
        new() { Namespace = ns, Kind = kind, Name = name, Labels = app is null ? [] : new() { ["app"] = app } };

    private static FlowRecord Flow(FlowWorkload source, string cidr, int port, long count = 1) =>
        new() { Source = source, Destination = new FlowDestination { Cidr = cidr }, Port = port, Count = count, LastSeen = DateTimeOffset.UnixEpoch.AddSeconds(count) };

    private static NetworkFlowReport Report(string ns, string node, params FlowRecord[] flows) =>
        new() { Metadata = new ObjectMeta { Namespace = ns, Name = node }, Spec = new NetworkFlowReportSpec { NodeName = node, Flows = [.. flows] } };

    private static Pod DbPod() => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = "shop", Name = "db-0", Labels = new() { ["app"] = "db", ["statefulset.kubernetes.io/pod-name"] = "db-0" },
            OwnerReferences = [new OwnerReference { Kind = "StatefulSet", Name = "db", Controller = true }],
        },
        Status = new PodStatus { PodIp = "10.244.2.9" },
    };

    private static Pod? PodAt(string ip) => ip == "10.244.2.9" ? DbPod() : null;

    private static readonly FlowWorkload Web = Workload("shop", "Deployment", "web", "web");

    [Fact]
    public void Addresses_of_pods_become_workloads_flows_of_several_nodes_are_merged_and_only_enforce_namespaces_are_applied()
    {
        var reports = new[]
        {
            Report("shop", "node-a", Flow(Web, "10.244.2.9/32", 5432, count: 2), Flow(Web, "203.0.113.7/32", 443)),
            Report("shop", "node-b", Flow(Web, "10.244.2.9/32", 5432, count: 3)),
            Report("monitoring", "node-a", Flow(Workload("monitoring", "Deployment", "prometheus", "prometheus"), "10.244.2.9/32", 9187)),
            Report("other", "node-a", Flow(Workload("other", "Deployment", "tool", "tool"), "203.0.113.8/32", 22)),
        };
        var modes = new Dictionary<string, Mode> { ["shop"] = Mode.Enforce, ["monitoring"] = Mode.Audit, ["other"] = Mode.Off };

        var decision = FlowPolicyPlanner.Plan(reports, PodAt, modes, [], NoLabels);

        Assert.Empty(decision.Held);
        Assert.Empty(decision.Unlabelled);
        Assert.Equal(["shop"], decision.Apply.Keys);
        var shop = decision.Apply["shop"].ToDictionary(g => g.Policy.Metadata.Name!);
        Assert.Equal(["security-operator-flows-deployment-web", "security-operator-flows-statefulset-db"], shop.Keys.Order(StringComparer.Ordinal));
        var db = shop["security-operator-flows-statefulset-db"];
        Assert.Equal(new Dictionary<string, string> { ["app"] = "db" }, db.Policy.Spec!.PodSelector.MatchLabels);
        Assert.Equal(["Ingress"], db.Policy.Spec.PolicyTypes);
        Assert.Equal(2, db.Policy.Spec.Ingress!.Count);   // from web (5432) and from prometheus (9187), though monitoring only audits
        var web = shop["security-operator-flows-deployment-web"];
        Assert.Equal(5, web.AdmittedFlows.Single(f => f.Port == 5432).Count);
        Assert.Equal("shop/Deployment/web -> 203.0.113.7/32 TCP/443\nshop/Deployment/web -> shop/StatefulSet/db TCP/5432",
            web.Policy.Metadata.Annotations![FlowPolicyPlanner.AdmittedFlowsAnnotation]);
        Assert.Equal(["security-operator-flows-deployment-prometheus"], decision.Audit["monitoring"].Select(g => g.Policy.Metadata.Name));
        Assert.DoesNotContain(decision.Apply.Values.SelectMany(p => p), g => g.Policy.Metadata.Namespace != "shop");
    }

    [Fact]
    public void A_plan_that_would_block_an_observed_flow_holds_back_the_enforce_namespace()
    {
        // A pod without labels connects to shop's db: generation cannot select it, and the db's generated ingress
        // policy (from web's flow) would cut it off while nothing isolates the db yet.
        var reports = new[]
        {
            Report("shop", "node-a", Flow(Web, "10.244.2.9/32", 5432)),
            Report("tools", "node-a", Flow(Workload("tools", "Pod", "debug", null), "10.244.2.9/32", 5432)),
        };
        var modes = new Dictionary<string, Mode> { ["shop"] = Mode.Enforce };

        var decision = FlowPolicyPlanner.Plan(reports, PodAt, modes, [], NoLabels);

        Assert.Empty(decision.Apply);
        var held = Assert.Single(decision.Held);
        Assert.Equal("shop", held.Key);
        Assert.Equal("tools/Pod/debug -> shop/StatefulSet/db TCP/5432", FlowPolicyPlanner.Describe(Assert.Single(held.Value)));
        Assert.Equal("tools/Pod/debug -> shop/StatefulSet/db TCP/5432", FlowPolicyPlanner.Describe(Assert.Single(decision.Unlabelled)));

        // Once the namespace's default deny is in force, that flow is already blocked: nothing new is blocked.
        var withDefaultDeny = FlowPolicyPlanner.Plan(reports, PodAt, modes, ZeroTrustPolicies.Desired("shop"), NoLabels);
        Assert.Empty(withDefaultDeny.Held);
        Assert.Equal(2, withDefaultDeny.Apply["shop"].Count);
    }

    [Fact]
    public void Without_a_labelled_namespace_nothing_is_generated()
    {
        var decision = FlowPolicyPlanner.Plan([Report("shop", "node-a", Flow(Web, "10.244.2.9/32", 5432))], PodAt, new Dictionary<string, Mode>(), [], NoLabels);
        Assert.Empty(decision.Apply);
        Assert.Empty(decision.Audit);
        Assert.Empty(decision.Held);
    }

    [Fact]
    public void A_service_cluster_ip_becomes_its_backend_workloads_on_their_target_port()
    {
        var api = new Pod
        {
            Metadata = new ObjectMeta
            {
                Namespace = "shop", Name = "api-1", Labels = new() { ["app"] = "api" },
                OwnerReferences = [new OwnerReference { Kind = "StatefulSet", Name = "api", Controller = true }],
            },
            Spec = new PodSpec
            {
                Containers =
                [
                    new Container
                    {
                        Name = "main",
                        Extra = new() { ["ports"] = System.Text.Json.JsonDocument.Parse("""[{"name":"http","containerPort":8080,"protocol":"TCP"}]""").RootElement.Clone() },
                    },
                ],
            },
        };
        var service = new Service
        {
            Metadata = new ObjectMeta { Namespace = "shop", Name = "api" },
            Spec = new ServiceSpec
            {
                ClusterIp = "10.96.0.20", Selector = new() { ["app"] = "api" },
                Ports = [new ServicePort { Port = 80, TargetPort = System.Text.Json.JsonDocument.Parse("\"http\"").RootElement.Clone() }],
            },
        };
        var services = new ServiceBackends([service], ns => ns == "shop" ? [api, DbPod()] : []);
        var reports = new[] { Report("shop", "node-a", Flow(Web, "10.96.0.20/32", 80), Flow(Web, "10.96.0.20/32", 443), Flow(Web, "10.96.0.99/32", 80)) };

        var decision = FlowPolicyPlanner.Plan(reports, PodAt, new Dictionary<string, Mode> { ["shop"] = Mode.Enforce }, [], NoLabels, services);

        var web = decision.Apply["shop"].Single(g => g.Policy.Metadata.Name == "security-operator-flows-deployment-web");
        Assert.Equal(
            "shop/Deployment/web -> 10.96.0.20/32 TCP/443\nshop/Deployment/web -> 10.96.0.99/32 TCP/80\nshop/Deployment/web -> shop/StatefulSet/api TCP/8080",
            web.Policy.Metadata.Annotations![FlowPolicyPlanner.AdmittedFlowsAnnotation]);   // no such Service port, no such Service: kept as addresses
        var apiPolicy = decision.Apply["shop"].Single(g => g.Policy.Metadata.Name == "security-operator-flows-statefulset-api").Policy;
        Assert.Equal(8080, apiPolicy.Spec!.Ingress!.Single().Ports!.Single().Port!.Value.GetInt32());
    }
}
