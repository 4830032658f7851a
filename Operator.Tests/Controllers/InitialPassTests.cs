using System.Text.Json.Nodes;
using SecurityOperator.Controllers;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

/// <summary>The leader's first pass (its milestones gauge) and the coalescing of count-only status writes.</summary>
public sealed class InitialPassTests
{
    private const string Ns = "team-a";

    private static double Phase(ControllerHarness h, string phase) =>
        h.Metrics.CreateGauge("security_operator_controller_initial_pass_seconds", "", "phase").WithLabels(phase).Value;

    private static long? Denied(ApiServerDouble api) =>
        api.Get(ShippedPolicyCluster.SecurityPolicies, Ns, "baseline")?.Object["status"]?["counts"]?["denied"]?.GetValue<long>();

    [Fact]
    public async Task The_first_pass_reports_sync_then_audit_then_reports_once_every_namespace_has_its_report()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Deployment(h.Api, Ns, "web", privileged: true, replicas: 3);
        Workloads.Pod(h.Api, "team-b", "bare", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Phase(h, "reports") > 0, "the first pass to finish");

        Assert.InRange(Phase(h, "sync"), double.Epsilon, Phase(h, "audit"));
        Assert.InRange(Phase(h, "audit"), double.Epsilon, Phase(h, "reports"));
        // The namespaced policy applies in team-a only; team-b's bare pod has no policy but is audited (a report with passes: none).
        var report = h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator")?.Object;
        Assert.NotNull(report);
        Assert.Equal("Deployment", report!["results"]![0]!["resources"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_of_the_counts_alone_waits_for_the_status_counts_interval_while_the_report_follows_at_once()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings
        {
            ReportInterval = TimeSpan.FromMilliseconds(1),
            StatusCountsInterval = TimeSpan.FromHours(1),
        });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "baseline"));
        Workloads.Pod(h.Api, Ns, "first", privileged: true);
        await h.StartAsync();
        // The first audit is complete before the first status write: that write already counts the pod.
        await Eventually.WaitUntilAsync(() => Denied(h.Api) == 1, "the status to count the first pod");

        Workloads.Pod(h.Api, Ns, "second", privileged: true);
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator")?.Object["results"] is JsonArray { Count: 2 },
            "the report to list the second pod");
        await Eventually.WaitUntilAsync(() => h.Reconciles("policystatus", "deferred") >= 1, "the count-only status change to be deferred");
        Assert.Equal(1, Denied(h.Api));
    }
}
