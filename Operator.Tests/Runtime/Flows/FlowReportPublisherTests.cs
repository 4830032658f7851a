using System.Runtime.InteropServices;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Runtime;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Flows;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Config;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Runtime.Flows;

/// <summary>The publisher against the API double: one report per namespace named after the node, written only when
/// its flows changed, replaced in place, adopted after a restart, and only with the calls NodeApiAccess declares.</summary>
public sealed class FlowReportPublisherTests
{
    private const string WebUid = "0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b", JobUid = "2d0c7b6a-1e4f-4081-8c3d-5e7f9a1b3c4d";
    private static readonly ContainerRef Web = new(WebUid, new string('a', 64), "containerd", "besteffort");
    private static readonly ContainerRef Job = new(JobUid, new string('b', 64), "containerd", "besteffort");
    private static readonly ResourceType Reports = ResourceType.From(NetworkFlowReport.Resource);

    private static ConnectPayload To(byte last, ushort port)
    {
        var connect = new ConnectPayload { Family = ConnectPayload.InterNetwork, Port = port };
        unsafe
        {
            connect.Address[0] = 203; connect.Address[1] = 0; connect.Address[2] = 113; connect.Address[3] = last;
        }
        return connect;
    }

    private static async Task<(DoubleCluster Cluster, FlowAggregator Flows, FlowReportPublisher Publisher, ManualTimeProvider Time)> StartAsync()
    {
        var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        cluster.SeedNamespace("batch");
        cluster.Api.Register(Reports);
        var pods = new FlowPodIndex();
        pods.OnAdd(FlowPods.OfDeployment("shop", "web", WebUid, "10.244.1.5"));
        var job = FlowPods.OfDeployment("batch", "nightly", JobUid, "10.244.1.7");
        job.Metadata.OwnerReferences![0].Kind = "Job";
        job.Metadata.OwnerReferences[0].Name = "nightly-29001";
        pods.OnAdd(job);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero));
        var flows = new FlowAggregator(pods, time);
        return (cluster, flows, new FlowReportPublisher(cluster.Client, flows, "node-a", time), time);
    }

    private static NetworkFlowReport Stored(DoubleCluster cluster, string ns)
    {
        var json = cluster.Api.Get(Reports, ns, "node-a")!.Object.ToJsonString();
        return System.Text.Json.JsonSerializer.Deserialize(json, FlowJsonContext.Default.NetworkFlowReport)!;
    }

    [Fact]
    public async Task Each_namespace_gets_one_report_named_after_the_node_and_unchanged_flows_are_not_written_again()
    {
        var (cluster, flows, publisher, time) = await StartAsync();
        await using var _ = cluster;
        flows.Observe(Web, To(7, 443));
        flows.Observe(Job, To(8, 80));
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(2, await publisher.PublishAsync(CancellationToken.None));
        var shop = Stored(cluster, "shop");
        Assert.Equal("node-a", shop.Spec.NodeName);
        Assert.Equal(time.GetUtcNow(), shop.Spec.WindowEnd);
        Assert.Equal(0, shop.Spec.DroppedFlows);
        var flow = Assert.Single(shop.Spec.Flows);
        Assert.Equal(("Deployment", "web", "203.0.113.7/32", 443, 1L), (flow.Source.Kind, flow.Source.Name, flow.Destination.Cidr, flow.Port, flow.Count));
        Assert.Equal(("Job", "nightly-29001"), (Stored(cluster, "batch").Spec.Flows[0].Source.Kind, Stored(cluster, "batch").Spec.Flows[0].Source.Name));
        Assert.Equal("security-operator", cluster.Api.Get(Reports, "shop", "node-a")!.Object["metadata"]!["labels"]![ManagedNetworkPolicy.ManagedByLabel]!.GetValue<string>());

        var writes = cluster.Api.Requests.Count(r => r.Method != "GET");
        Assert.Equal(0, await publisher.PublishAsync(CancellationToken.None));
        Assert.Equal(writes, cluster.Api.Requests.Count(r => r.Method != "GET"));

        flows.Observe(Web, To(7, 443));
        Assert.Equal(1, await publisher.PublishAsync(CancellationToken.None));
        Assert.Equal(2, Stored(cluster, "shop").Spec.Flows[0].Count);
        Assert.Equal(1, cluster.Api.Requests.Count(r => r.Method == "PUT"));
        Assert.All(cluster.Api.Requests, r => Assert.True(NodeApiAccess.Calls.Any(c => c == ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)), $"undeclared: {r}"));
    }

    [Fact]
    public async Task A_report_left_by_an_earlier_run_is_taken_over_and_a_deleted_one_is_created_again()
    {
        var (cluster, flows, publisher, _) = await StartAsync();
        await using var __ = cluster;
        var earlier = new FlowReportPublisher(cluster.Client, flows, "node-a", TimeProvider.System);
        flows.Observe(Web, To(7, 443));
        Assert.Equal(1, await earlier.PublishAsync(CancellationToken.None));

        flows.Observe(Web, To(9, 443));
        Assert.Equal(1, await publisher.PublishAsync(CancellationToken.None));   // create → AlreadyExists → get → replace
        Assert.Equal(2, Stored(cluster, "shop").Spec.Flows.Count);

        cluster.Api.Delete(Reports, "shop", "node-a");
        flows.Observe(Web, To(9, 443));
        Assert.Equal(1, await publisher.PublishAsync(CancellationToken.None));   // replace → NotFound → create
        Assert.Equal(2, Stored(cluster, "shop").Spec.Flows.Single(f => f.Destination.Cidr == "203.0.113.9/32").Count);
        Assert.All(cluster.Api.Requests, r => Assert.True(NodeApiAccess.Calls.Any(c => c == ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)), $"undeclared: {r}"));
    }

    [Fact]
    public async Task A_failed_write_is_retried_on_the_next_pass()
    {
        var (cluster, flows, publisher, _) = await StartAsync();
        await using var __ = cluster;
        flows.Observe(Web, To(7, 443));
        cluster.Api.FailNext("POST", "networkflowreports", 500, "InternalError");

        Assert.Equal(0, await publisher.PublishAsync(CancellationToken.None));
        Assert.Null(cluster.Api.Get(Reports, "shop", "node-a"));
        Assert.Equal(1, await publisher.PublishAsync(CancellationToken.None));
        Assert.NotNull(cluster.Api.Get(Reports, "shop", "node-a"));
    }
}
