using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;

namespace SecurityOperator.Tests.Controllers.Audit;

public class AuditCacheTrimTests
{
    private const string Ns = "team-a";

    private static JsonObject PodObject(string name, int port = 8080) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["app"] = "web" },
            ["annotations"] = new JsonObject { ["prometheus.io/port"] = "9090", [QuarantineMarks.Until] = "2030-01-01T00:00:00Z" },
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "app", ["image"] = "registry.example.com/app:1.0",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = port }),
            }),
        },
    };

    [Fact]
    public async Task The_cache_keeps_what_the_controller_reads_shared_between_replicas_and_the_evaluator_still_sees_everything()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, PodObject("web-1"));
        cluster.Api.SetStatus(ResourceCatalog.Pods, Ns, "web-1", new JsonObject
        {
            ["phase"] = "Running", ["podIP"] = "10.0.0.1", ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.1" }),
        });
        cluster.Api.Seed(ResourceCatalog.Pods, PodObject("web-2"));
        cluster.Api.Seed(ResourceCatalog.Pods, PodObject("other", port: 9090));
        cluster.Api.SetStatus(ResourceCatalog.Pods, Ns, "web-2", new JsonObject
        {
            ["phase"] = "Running", ["podIP"] = "10.0.0.2",
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.2" }, new JsonObject { ["ip"] = "fd00::2" }),
        });
        var c = KubeJsonContext.Default;
        var pods = AuditedKind<Pod>.Create(cluster.Client, KubeResource.Pods, c.Pod, c.KubeListPod, new MetricsRegistry());
        AuditCacheTrim.Apply([pods]);
        using var stop = new CancellationTokenSource();
        var run = pods.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => pods.HasSynced, "the pod cache to sync");

        var first = (Pod)pods.Get(Ns, "web-1")!;
        var second = (Pod)pods.Get(Ns, "web-2")!;
        Assert.Equal(new Dictionary<string, string> { [QuarantineMarks.Until] = "2030-01-01T00:00:00Z" }, first.Metadata.Annotations);
        Assert.Same(first.Metadata.Labels!["app"], second.Metadata.Labels!["app"]);
        Assert.Same(first.Metadata.Namespace, second.Metadata.Namespace);
        Assert.Equal("http", first.Spec!.Containers![0].Extra!["ports"][0].GetProperty("name").GetString());
        // Replicas share one network view; a pod with other ports has its own.
        Assert.Same(first.Spec, second.Spec);
        var other = (Pod)pods.Get(Ns, "other")!;
        Assert.NotSame(first.Spec, other.Spec);
        Assert.Equal(9090, other.Spec!.Containers![0].Extra!["ports"][0].GetProperty("containerPort").GetInt32());
        // Single-stack: podIPs only repeats podIP, which readers fall back to; dual-stack keeps the list.
        Assert.Equal(new[] { "10.0.0.1" }, SecurityOperator.Compliance.NetworkPolicies.PodWorkload.Addresses(first));
        Assert.Null(first.Status!.Extra);
        Assert.Equal(new[] { "10.0.0.2", "fd00::2" }, SecurityOperator.Compliance.NetworkPolicies.PodWorkload.Addresses(second));
        Assert.Equal("Running", second.Status!.Phase);

        var json = JsonNode.Parse(Encoding.UTF8.GetString(pods.Serialize(first, new ArrayBufferWriter<byte>())))!;
        Assert.Equal("9090", json["metadata"]!["annotations"]!["prometheus.io/port"]!.GetValue<string>());
        Assert.Equal("registry.example.com/app:1.0", json["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Null(json["status"]);
        await stop.CancelAsync();
        try { await run; } catch (OperationCanceledException) { }
    }
}
