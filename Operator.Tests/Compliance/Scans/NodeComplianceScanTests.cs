using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Scans;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Runtime;
using SecurityOperator.Tests.Compliance.Cis;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance.Scans;

/// <summary>The node role's scan of a fake host tree publishing cis-node-NODE through the API double.</summary>
public sealed class NodeComplianceScanTests
{
    private static JsonObject? Report(ApiServerDouble api, string node) => api.Get(ResourceCatalog.ClusterPolicyReports, "", NodeComplianceScan.ReportNameFor(node))?.Object;

    [Fact]
    public async Task A_node_scan_publishes_its_report_writes_again_only_on_change_and_uses_declared_calls()
    {
        using var tree = FakeHostTree.Compliant();
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Register(ResourceCatalog.ClusterPolicyReports);
        var scan = new NodeComplianceScan(cluster.Client, "node-1", new HostRoot(tree.Root), new ComplianceSettings(), new MetricsRegistry(), NullLogger.Instance);

        Assert.True(await scan.ScanOnceAsync(ScanLoop.Startup, CancellationToken.None));
        var report = Report(cluster.Api, "node-1")!;
        Assert.Equal("node-1", report["metadata"]!["labels"]![NodeComplianceScan.NodeLabel]!.GetValue<string>());
        Assert.Equal(("Node", "node-1"), (report["scope"]!["kind"]!.GetValue<string>(), report["scope"]!["name"]!.GetValue<string>()));
        var offline = new CisScanner(new HostRoot(tree.Root), CisBenchmarkVersions.Latest).Scan();
        var results = report["results"]!.AsArray();
        Assert.Equal(offline.Results.Select(r => r.Id), results.Select(r => r!["rule"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal("node-1", r!["properties"]!["host"]!.GetValue<string>()));
        Assert.Equal(0, report["summary"]!["fail"]!.GetValue<int>());
        var json = JsonNode.Parse(scan.Latest.Json!)!;
        Assert.Equal("node-1", json["host"]!.GetValue<string>());
        Assert.Equal(offline.Results.Count, json["results"]!.AsArray().Count);

        cluster.Api.ClearRequestLog();
        Assert.True(await scan.ScanOnceAsync(ScanLoop.Schedule, CancellationToken.None));
        Assert.DoesNotContain(cluster.Api.Requests, r => r.Method != "GET");

        tree.Set("/var/lib/kubelet/config.yaml", 0b110_100_100);   // 644: fails 4.1.9
        Assert.True(await scan.ScanOnceAsync(ScanLoop.Schedule, CancellationToken.None));
        var changed = Report(cluster.Api, "node-1")!["results"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == "4.1.9")!;
        Assert.Equal("fail", changed["result"]!.GetValue<string>());
        Assert.Contains("/var/lib/kubelet/config.yaml: mode 644", changed["properties"]!["evidence"]!.GetValue<string>());

        Assert.All(cluster.Api.Requests, r => Assert.Contains(ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)!.Value, NodeApiAccess.Calls));
    }

    [Fact]
    public async Task Without_an_API_server_the_node_scan_still_serves_its_json()
    {
        using var tree = FakeHostTree.Compliant();
        var scan = new NodeComplianceScan(null, "", new HostRoot(tree.Root), new ComplianceSettings(), new MetricsRegistry(), NullLogger.Instance);
        Assert.Null(scan.Latest.Json);
        Assert.True(await scan.ScanOnceAsync(ScanLoop.Startup, CancellationToken.None));
        Assert.Equal("cis-1.12", JsonNode.Parse(scan.Latest.Json!)!["benchmark"]!.GetValue<string>());
    }

    [Fact]
    public void Report_names_fit_in_an_object_name()
    {
        Assert.Equal("cis-node-ip-10-0-0-1.ec2.internal", NodeComplianceScan.ReportNameFor("ip-10-0-0-1.ec2.internal"));
        var name = NodeComplianceScan.ReportNameFor(new string('a', 250));
        Assert.True(name.Length <= 253);
        Assert.NotEqual(name, NodeComplianceScan.ReportNameFor(new string('a', 249) + "b"));
    }
}
