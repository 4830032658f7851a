using System.Text.Json.Nodes;
using SecurityOperator.Controllers;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

public sealed class ExistingPodEnforcementTests
{
    private const string Ns = "team-c";

    private static void Run(ApiServerDouble api, string name) =>
        api.SetStatus(ResourceCatalog.Pods, Ns, name, new JsonObject { ["phase"] = "Running" });

    private static int Evictions(ApiServerDouble api, string pod) =>
        api.Requests.Count(r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{Ns}/pods/{pod}/eviction");

    [Fact]
    public async Task Violating_pods_are_evicted_a_budget_refusal_is_retried_pods_are_never_deleted_and_a_revision_is_handled_once()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings
        {
            EnforceExisting = true, ReportInterval = TimeSpan.FromMilliseconds(1), EvictionRetry = TimeSpan.FromMilliseconds(50),
        });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "strict"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        Run(h.Api, "rogue");
        // A guarded pod: its budget refuses every eviction (pods-11: 429 with cause DisruptionBudget).
        var guarded = Workloads.Pod(h.Api, Ns, "guarded", privileged: true).Object.DeepClone().AsObject();
        guarded["metadata"]!["labels"]!["tier"] = "guarded";
        h.Api.Update(ResourceCatalog.Pods, guarded);
        Run(h.Api, "guarded");
        h.Api.BlockEvictions(Ns, "tier=guarded", "guarded-pdb");
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.Pods, Ns, "rogue") is null, "the rogue pod to be evicted");
        await Eventually.WaitUntilAsync(() => Evictions(h.Api, "guarded") >= 3, "the refused eviction to be retried");
        Assert.NotNull(h.Api.Get(ResourceCatalog.Pods, Ns, "guarded"));
        Assert.DoesNotContain(h.Api.Requests, r => r.Method == "DELETE" && r.Path.Contains("/pods/", StringComparison.Ordinal));
        var evicted = h.Api.List(ResourceCatalog.Events, Ns).Select(e => e.Object).Single(e => e["reason"]!.GetValue<string>() == "Evicted");
        Assert.Contains("rule no-privileged", evicted["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("rogue", evicted["regarding"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replacement_pods_of_a_handled_workload_revision_are_left_to_admission()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { EnforceExisting = true, ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "strict"));
        Workloads.Deployment(h.Api, Ns, "web", privileged: true, replicas: 2);
        foreach (var i in new[] { 0, 1 }) Run(h.Api, $"web-5d8f-{i}");
        await h.StartAsync();
        await Eventually.WaitUntilAsync(() => h.Api.List(ResourceCatalog.Pods, Ns).Count == 0, "both replicas to be evicted");
        // The Event follows its eviction: wait for the second one rather than race it.
        List<System.Text.Json.Nodes.JsonObject> Evicted() => h.Api.List(ResourceCatalog.Events, Ns).Select(e => e.Object)
            .Where(e => e["reason"]!.GetValue<string>() == "Evicted").ToList();
        await Eventually.WaitUntilAsync(() => Evicted().Count >= 2, "an Evicted Event per eviction");
        var events = Evicted();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("Deployment", e["regarding"]!["kind"]!.GetValue<string>()));

        // The ReplicaSet's replacement (same template, same revision) still violates: admission's business, not ours.
        var rs = h.Api.Get(ResourceCatalog.ReplicaSets, Ns, "web-5d8f")!;
        Workloads.Pod(h.Api, Ns, "web-5d8f-2", privileged: true, rs, "ReplicaSet");
        Run(h.Api, "web-5d8f-2");
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator")?.Object["results"]?[0]?["properties"]?["violatingPods"]?.GetValue<string>() == "1",
            "the replacement pod to be audited");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.Equal(0, Evictions(h.Api, "web-5d8f-2"));
        Assert.NotNull(h.Api.Get(ResourceCatalog.Pods, Ns, "web-5d8f-2"));
    }
}
