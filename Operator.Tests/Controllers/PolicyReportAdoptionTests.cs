using System.Text.Json.Nodes;
using SecurityOperator.Controllers.Reports;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

/// <summary>A report with our name that our informer cannot see (no managed-by label: made by hand, or by an older
/// version) must not block the namespace's report forever with 409 AlreadyExists: the writer takes it over.</summary>
public sealed class PolicyReportAdoptionTests
{
    private const string Ns = "team-r";

    [Fact]
    public async Task A_report_with_our_name_but_not_our_label_is_taken_over()
    {
        await using var h = await ControllerHarness.CreateAsync(new SecurityOperator.Controllers.ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "strict"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        h.Api.Seed(ResourceCatalog.PolicyReports, new JsonObject
        {
            ["apiVersion"] = "wgpolicyk8s.io/v1alpha2",
            ["kind"] = "PolicyReport",
            ["metadata"] = new JsonObject { ["name"] = PolicyReportWriter.ReportName, ["namespace"] = Ns },
            ["results"] = new JsonArray(),
        });

        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Managed(h.Api) is { } report && report["results"]?.AsArray().Count > 0, "the report taken over");
        var adopted = Managed(h.Api)!;
        Assert.Contains(adopted["results"]!.AsArray(), r => r!["resources"]![0]!["name"]!.GetValue<string>() == "rogue");
        Assert.Contains(h.Api.Requests, r => r.Method == "GET" && r.Path.EndsWith($"/namespaces/{Ns}/policyreports/{PolicyReportWriter.ReportName}", StringComparison.Ordinal));
    }

    private static JsonObject? Managed(ApiServerDouble api) =>
        api.Get(ResourceCatalog.PolicyReports, Ns, PolicyReportWriter.ReportName)?.Object is { } report
        && report["metadata"]?["labels"]?[PolicyReportWriter.ManagedByLabel]?.GetValue<string>() == PolicyReportWriter.ManagedByValue
            ? report
            : null;
}
