using System.Text.Json.Nodes;
using SecurityOperator.Controllers;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

public sealed class ControllerRuntimeTests
{
    private const string Ns = "team-a";

    private static string? Version(JsonObject? obj) => obj?["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static JsonObject? Report(ApiServerDouble api, string ns = Ns) => api.Get(ResourceCatalog.PolicyReports, ns, "security-operator")?.Object;

    private static JsonObject? PolicyStatus(ApiServerDouble api, string name = "baseline") =>
        api.Get(ShippedPolicyCluster.SecurityPolicies, Ns, name)?.Object["status"] as JsonObject;

    private static int Int(JsonNode? node) => node?.GetValue<int>() ?? -1;

    [Fact]
    public async Task Replica_pods_fold_into_their_deployment_in_the_report_the_status_counts_them_and_a_second_run_writes_nothing()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Deployment(h.Api, Ns, "web", privileged: true, replicas: 3);
        Workloads.Pod(h.Api, Ns, "tidy", privileged: false);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["counts"]?["denied"]) == 1, "the policy status to count the violating deployment");
        // The leader audits every namespace before it writes (status counts may land before the report).
        await Eventually.WaitUntilAsync(() => Report(h.Api) is not null, "the report");
        var report = Report(h.Api)!;
        Assert.Equal("security-operator", report["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        var result = Assert.Single(report["results"]!.AsArray())!;
        Assert.Equal("fail", result["result"]!.GetValue<string>());
        Assert.Equal("high", result["severity"]!.GetValue<string>());
        Assert.Equal("team-a/baseline", result["policy"]!.GetValue<string>());
        Assert.Equal("no-privileged", result["rule"]!.GetValue<string>());
        var resource = Assert.Single(result["resources"]!.AsArray())!;
        Assert.Equal(("Deployment", "web"), (resource["kind"]!.GetValue<string>(), resource["name"]!.GetValue<string>()));
        Assert.Equal("3", result["properties"]!["violatingPods"]!.GetValue<string>());
        Assert.Equal("spec.containers[0].securityContext.privileged", result["properties"]!["field"]!.GetValue<string>());
        Assert.True(result["timestamp"]!["seconds"]!.GetValue<long>() > 0);
        Assert.Equal((1, 0, 1), (Int(report["summary"]!["fail"]), Int(report["summary"]!["warn"]), Int(report["summary"]!["pass"])));

        var status = PolicyStatus(h.Api)!;
        Assert.Equal(1, Int(status["observedGeneration"]));
        Assert.Equal(1, Int(status["ruleCount"]));
        Assert.Equal(2, Int(status["counts"]!["evaluated"]));
        var ready = Assert.Single(status["conditions"]!.AsArray())!;
        Assert.Equal(("Ready", "True", "Compiled"), (ready["type"]!.GetValue<string>(), ready["status"]!.GetValue<string>(), ready["reason"]!.GetValue<string>()));

        // Level-based and idempotent: reconciling everything again sends no write. First the controller's caches must
        // show its own last writes: the store above can hold a write whose answer and watch event are still on the way,
        // and a reconcile in that window rightly writes again.
        await Eventually.WaitUntilAsync(() => h.Runtime.CachedVersions(Ns, "baseline") ==
            (Version(Report(h.Api)), Version(h.Api.Get(ShippedPolicyCluster.SecurityPolicies, Ns, "baseline")?.Object)),
            "the controller's caches to hold the report and the policy as the API server has them");
        h.Api.ClearRequestLog();
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        await h.Runtime.ReconcileStatusAsync(PolicyKey.Namespaced(Ns, "baseline"), CancellationToken.None);
        Assert.Empty(h.Writes());
        Assert.True(h.Reconciles("audit", "unchanged") >= 1);
    }

    /// <summary>The NetworkFlowReport CRD comes with the node agents and may be missing: the controller's caches still
    /// sync and the audit still reports (only the flow-based NetworkPolicies wait for the CRD).</summary>
    [Fact]
    public async Task Without_the_flow_report_crd_the_controller_still_syncs_audits_and_reports()
    {
        await using var h = await ControllerHarness.CreateAsync(flowReportCrd: false);
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Pod(h.Api, Ns, "bad", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Report(h.Api) is not null, "the report");
        var result = Assert.Single(Report(h.Api)!["results"]!.AsArray())!;
        Assert.Equal(("fail", "no-privileged"), (result["result"]!.GetValue<string>(), result["rule"]!.GetValue<string>()));
    }

    /// <summary>The wgpolicyk8s.io CRDs may be missing too (they ship in manifests/crds/ for clusters without them): the
    /// controller still syncs and leads, writes no report, and writes the held report once the CRD is served.</summary>
    [Fact]
    public async Task Without_the_policy_report_crd_the_controller_still_counts_violations_and_writes_the_report_once_the_crd_is_served()
    {
        await using var h = await ControllerHarness.CreateAsync(policyReportCrds: false);
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Pod(h.Api, Ns, "bad", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["counts"]?["denied"]) == 1, "the policy status to count the violating pod");
        Assert.False(h.Runtime.ReportsListed);
        Assert.DoesNotContain(h.Writes(), r => r.Path.Contains("/policyreports", StringComparison.Ordinal));

        h.Api.Register(ResourceCatalog.PolicyReports);
        await Eventually.WaitUntilAsync(() => Report(h.Api) is not null, "the held report once the CRD is served");
        var result = Assert.Single(Report(h.Api)!["results"]!.AsArray())!;
        Assert.Equal(("fail", "no-privileged"), (result["result"]!.GetValue<string>(), result["rule"]!.GetValue<string>()));
    }

    /// <summary>The race HoldReport re-checks: a reconcile saw the reports unlisted, and before it held its namespace
    /// the list arrived and the waiting loop drained. Holding after the list must queue the namespace at once, or its
    /// report would wait for the next change in it.</summary>
    [Fact]
    public async Task A_report_held_after_the_reports_were_listed_is_queued_at_once_not_stranded()
    {
        await using var h = await ControllerHarness.CreateAsync();
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Pod(h.Api, Ns, "bad", privileged: true);
        await h.StartAsync();
        await Eventually.WaitUntilAsync(() => Report(h.Api) is not null, "the first report");
        double Audits() => new[] { "success", "unchanged", "deferred" }.Sum(result => h.Reconciles("audit", result));
        var before = Audits();

        h.Runtime.HoldReport(Ns);

        // Only HoldReport's re-check takes it back out: the waiting loop finished when the reports were listed.
        Assert.Equal(0, h.Runtime.ReportsHeld);
        await Eventually.WaitUntilAsync(() => Audits() > before, "the held namespace to be audited again");
    }

    [Fact]
    public async Task Policy_status_goes_valid_then_invalid_keeping_the_old_rules_then_fixed()
    {
        await using var h = await ControllerHarness.CreateAsync();
        var policy = PolicyObjects.Namespaced(Ns, "baseline");
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, policy);
        await h.StartAsync();
        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["observedGeneration"]) == 1, "status of generation 1");

        h.Api.Update(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Broken(policy));
        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["observedGeneration"]) == 2, "status of generation 2");
        var ready = PolicyStatus(h.Api)!["conditions"]![0]!;
        Assert.Equal(("False", "Invalid"), (ready["status"]!.GetValue<string>(), ready["reason"]!.GetValue<string>()));
        Assert.Contains("noSuchCondition", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("generation 1 stays in force", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, Int(PolicyStatus(h.Api)!["ruleCount"]));

        h.Api.Update(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.WithSecondRule(policy));
        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["observedGeneration"]) == 3, "status of generation 3");
        ready = PolicyStatus(h.Api)!["conditions"]![0]!;
        Assert.Equal(("True", "Compiled"), (ready["status"]!.GetValue<string>(), ready["reason"]!.GetValue<string>()));
        Assert.Equal(2, Int(PolicyStatus(h.Api)!["ruleCount"]));
        // Status is only ever written through the subresource, as a merge patch.
        Assert.All(h.Writes().Where(r => r.Path.Contains("/securitypolicies/", StringComparison.Ordinal)),
            r => Assert.Equal(("PATCH", true), (r.Method, r.Path.EndsWith("/status", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_report_over_the_limit_lists_the_most_severe_results_and_says_it_was_cut_while_the_summary_counts_all()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { MaxReportResults = 2 });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        h.Api.Seed(ShippedPolicyCluster.ClusterSecurityPolicies, PolicyObjects.Cluster("advisory", action: "alert"));
        for (var i = 0; i < 3; i++) Workloads.Pod(h.Api, Ns, $"bare-{i}", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Report(h.Api) is { } r && Int(r["summary"]!["fail"]) == 3, "the report of 3 bare pods");
        var report = Report(h.Api)!;
        Assert.Equal(3, Int(report["summary"]!["warn"]));
        var results = report["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("fail", r!["result"]!.GetValue<string>()));
        Assert.Equal("shown 2 of 6 results (most severe first); the summary counts all of them",
            report["metadata"]!["annotations"]!["security.io/truncated"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_flapping_pod_does_not_rewrite_the_report_within_the_interval_and_a_watch_restart_writes_nothing()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { ReportInterval = TimeSpan.FromHours(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        var pod = Workloads.Pod(h.Api, Ns, "flappy", privileged: true);
        await h.StartAsync();
        await Eventually.WaitUntilAsync(() => Report(h.Api) is not null, "the first report");
        await Eventually.WaitUntilAsync(() => Int(PolicyStatus(h.Api)?["counts"]?["denied"]) == 1, "the policy status to count the pod");
        // The compliance scan at start writes its own report, unrelated to the pod; on a loaded machine it can come late.
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.ClusterPolicyReports, "", SecurityOperator.Compliance.Scans.ClusterComplianceScan.ReportName) is not null,
            "the startup compliance scan's report");

        h.Api.ClearRequestLog();
        for (var i = 0; i < 5; i++)
        {
            var flapped = pod.Object.DeepClone().AsObject();
            flapped["metadata"]!["labels"]!["flap"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            h.Api.Update(ResourceCatalog.Pods, flapped);
        }
        await Eventually.WaitUntilAsync(() => h.Reconciles("audit", "deferred") >= 1, "an audit deferred by the report interval");
        h.Api.ExpireAllWatches();
        await Eventually.WaitUntilAsync(() => h.Api.Requests.Count(r => r.Method == "GET" && !r.Query.Contains("watch", StringComparison.Ordinal)
                                                                        && r.Path.EndsWith("/policyreports", StringComparison.Ordinal)) >= 1,
            "the report informer to relist after the watches expired");
        await h.Runtime.ReconcileStatusAsync(PolicyKey.Namespaced(Ns, "baseline"), CancellationToken.None);
        Assert.Empty(h.Writes());
    }
}
