using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Reports;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers.Reports;

public class PolicyReportWriterCopyTests
{
    private const string Ns = "default";

    private static NamespaceAudit Audit(string message)
    {
        var unit = new AuditSubject("v1", "Pod", Ns, "web", "u-1");
        var finding = new AuditFindingKey(PolicyKey.Cluster("baseline"), "baseline", "no-privileged", "privileged", Disposition.Deny, "app",
            "spec.containers[0].securityContext.privileged", message);
        var rules = new List<(PolicyKey, string)> { (PolicyKey.Cluster("baseline"), "no-privileged") };
        return new NamespaceAudit(Ns, 1, [new ObjectAudit(unit, unit, "1", rules, [finding], null)],
            [new UnitAudit(unit, [finding], new HashSet<PolicyKey> { PolicyKey.Cluster("baseline") }, 0, 1, 1, 0)]);
    }

    [Fact]
    public async Task Its_own_copy_of_a_write_is_dropped_once_the_informer_shows_it_and_the_next_audit_compares_with_the_informer()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        var informer = PolicyReportWriter.CreateInformer(cluster.Client, new MetricsRegistry());
        var writer = new PolicyReportWriter(cluster.Client, informer, new PolicyReportBuilder(500));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => informer.HasSynced, "the report informer to sync");

        Assert.True(await writer.WriteAsync(Audit("container app is privileged"), CancellationToken.None));
        await Eventually.WaitUntilAsync(() => writer.WrittenCopies == 0, "the writer to drop its copy");
        Assert.NotNull(informer.Get(Ns, PolicyReportWriter.ReportName));

        cluster.Api.ClearRequestLog();
        Assert.False(await writer.WriteAsync(Audit("container app is privileged"), CancellationToken.None));
        Assert.True(await writer.WriteAsync(Audit("container app is privileged (changed)"), CancellationToken.None));
        Assert.Single(cluster.Api.Requests, r => r.Method == "PUT");
        await stop.CancelAsync();
        try { await run; } catch (OperationCanceledException) { }
    }
}
