using System.Globalization;
using System.Text.Json.Nodes;
using SecurityOperator.Controllers.Events;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Runtime;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Policies;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;
using static SecurityOperator.Tests.Runtime.Policies.RuntimePolicyFixtures;

namespace SecurityOperator.Tests.Runtime.Policies;

/// <summary>The event and quarantine responses against the API server double.</summary>
public sealed class RuntimeResponderTests
{
    private static async Task<(DoubleCluster Cluster, PodContainer Pod)> ClusterWithPod()
    {
        var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        var stored = cluster.Api.Seed(ResourceCatalog.Pods, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web-1", ["namespace"] = "shop", ["labels"] = new JsonObject { ["app"] = "web" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx" }) },
        });
        var uid = stored.Object["metadata"]!["uid"]!.GetValue<string>();
        return (cluster, new PodContainer("shop", "web-1", uid, "app", "nginx"));
    }

    private static RuntimeHit Hit(CompiledPolicy policy, PodContainer pod, string outcome = "killed exec of /usr/bin/curl") =>
        new(new RuntimeRuleBinding(RuntimeRuleTable.FirstNumber, RuntimePlanner.KeyOf(policy), policy, policy.RuntimeRules[0]), pod, outcome);

    private static void AllDeclared(DoubleCluster cluster) =>
        Assert.All(cluster.Api.Requests, r => Assert.True(NodeApiAccess.Calls.Any(c => c == ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)), $"undeclared: {r}"));

    [Fact]
    public async Task Event_creates_one_Warning_Event_on_the_pod_and_counts_repeats_in_its_series()
    {
        var (cluster, pod) = await ClusterWithPod();
        await using var _ = cluster;
        var policy = Namespaced("shop", "no-tools", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill","event"]}]""");
        var responder = new RuntimeResponder(cluster.Client, new ViolationEventRecorder(cluster.Client, "node-a"), _ => null);

        await responder.RespondAsync([Hit(policy, pod), Hit(policy, pod)], CancellationToken.None);
        await responder.RespondAsync([Hit(policy, pod)], CancellationToken.None);

        var ev = Assert.Single(cluster.Api.List(ResourceCatalog.Events, "shop")).Object;
        Assert.Equal("Pod", ev["regarding"]!["kind"]!.GetValue<string>());
        Assert.Equal("web-1", ev["regarding"]!["name"]!.GetValue<string>());
        Assert.Equal(pod.PodUid, ev["regarding"]!["uid"]!.GetValue<string>());
        Assert.Equal("Warning", ev["type"]!.GetValue<string>());
        Assert.Equal(3, ev["series"]!["count"]!.GetValue<int>());
        var note = ev["note"]!.GetValue<string>();
        Assert.Contains("SecurityPolicy shop/no-tools rule curl container app", note);
        Assert.Contains("killed exec of /usr/bin/curl", note);
        Assert.Equal(3, cluster.Api.Requests.Count(r => r.Path.Contains("/events", StringComparison.Ordinal))); // create + 2 series patches
        Assert.DoesNotContain(cluster.Api.List(ResourceCatalog.Pods, "shop"), p => p.Object["metadata"]!["labels"]![QuarantineMarks.Label] is not null);
        AllDeclared(cluster);
    }

    [Fact]
    public async Task Quarantine_marks_the_pod_once_with_the_controllers_label_and_deadline()
    {
        var (cluster, pod) = await ClusterWithPod();
        await using var _ = cluster;
        var policy = Namespaced("shop", "isolate", "web", """[{"name":"meta","connect":{"denied":[{"cidr":"169.254.169.254"}]},"response":["block",{"quarantine":{"duration":"1h"}}]}]""");
        var responder = new RuntimeResponder(cluster.Client, new ViolationEventRecorder(cluster.Client, "node-a"), _ => null);

        await responder.RespondAsync([Hit(policy, pod, "blocked connect to 169.254.169.254:80")], CancellationToken.None);
        await responder.RespondAsync([Hit(policy, pod, "blocked connect to 169.254.169.254:80")], CancellationToken.None);

        var metadata = cluster.Api.Get(ResourceCatalog.Pods, "shop", "web-1")!.Object["metadata"]!;
        Assert.Equal("isolate", metadata["labels"]![QuarantineMarks.Label]!.GetValue<string>());
        var since = DateTimeOffset.Parse(metadata["annotations"]![QuarantineMarks.Since]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse(metadata["annotations"]![QuarantineMarks.Until]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), until - since);
        Assert.Equal("SecurityPolicy shop/isolate rule meta", metadata["annotations"]![QuarantineMarks.Rule]!.GetValue<string>());
        Assert.Single(cluster.Api.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/pods/web-1", StringComparison.Ordinal));
        Assert.Empty(cluster.Api.List(ResourceCatalog.Events, "shop")); // no event response asked for
        AllDeclared(cluster);
    }

    [Fact]
    public async Task Quarantine_is_not_applied_in_warn_mode_nor_to_a_pod_whose_quarantine_was_lifted()
    {
        var (cluster, pod) = await ClusterWithPod();
        await using var _ = cluster;
        var warn = Namespaced("shop", "isolate", "web", """[{"name":"meta","connect":{"denied":[{"cidr":"169.254.169.254"}]},"response":["quarantine"]}]""", mode: "warn");
        var enforce = Namespaced("shop", "isolate", "web", """[{"name":"meta","connect":{"denied":[{"cidr":"169.254.169.254"}]},"response":["quarantine"]}]""");
        var lifted = PodOf("shop", "web-1", pod.PodUid, "web");
        lifted.Metadata.Annotations = new Dictionary<string, string> { [QuarantineMarks.Lifted] = "2026-01-01T00:00:00Z" };
        var responder = new RuntimeResponder(cluster.Client, new ViolationEventRecorder(cluster.Client, "node-a"), uid => uid == pod.PodUid ? lifted : null);

        await responder.RespondAsync([Hit(warn, pod), Hit(enforce, pod)], CancellationToken.None);

        Assert.DoesNotContain(cluster.Api.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public void Hits_whose_rule_asks_only_for_log_are_not_queued()
    {
        var policy = Namespaced("shop", "p", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["log","kill"]}]""");
        var responder = new RuntimeResponder(null!, null!, _ => null);
        for (var i = 0; i < RuntimeResponder.QueueCapacity + 5; i++) responder.Offer(Hit(policy, new PodContainer("shop", "web-1", "u", "app", null)));
        Assert.Equal(0, responder.Dropped);
    }
}
