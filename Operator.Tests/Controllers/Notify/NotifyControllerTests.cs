using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Controllers.Notify;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers.Notify;

/// <summary>The notify sink driven by the controller against the API double, posting to a loopback receiver.</summary>
public sealed class NotifyControllerTests : IDisposable
{
    private const string Ns = "team-n";
    private readonly LoopbackSink _receiver = LoopbackSink.Start();

    public void Dispose() => _receiver.Dispose();

    private ControllerSettings Settings(string instance = "leader") => new()
    {
        ReportInterval = TimeSpan.FromMilliseconds(1),
        Instance = instance,
        Notify = NotifyTestMessages.Settings(_receiver.Url) with { RenotifyInterval = TimeSpan.Zero },
    };

    /// <summary>A deny rule no-privileged with the rule's own notify action.</summary>
    private static JsonObject RuleNotifyPolicy(string ns, string name)
    {
        var policy = PolicyObjects.Namespaced(ns, name);
        policy["spec"]!["rules"]![0]!["actions"] = new JsonArray("deny", new JsonObject { ["notify"] = new JsonObject { ["channels"] = new JsonArray("sec") } });
        return policy;
    }

    /// <summary>A deny rule and an alert rule, notify only in spec.remediation (covers the deny rule).</summary>
    private static JsonObject PolicyWideNotifyPolicy(string ns, string name)
    {
        var policy = PolicyObjects.Namespaced(ns, name, mode: "warn");
        var spec = policy["spec"]!.AsObject();
        spec["rules"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "no-host-network",
            ["conditions"] = new JsonArray(new JsonObject { ["privilegedContainer"] = true }),
            ["actions"] = new JsonArray("alert"),
        });
        spec["remediation"] = new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["notify"] = new JsonObject { ["channels"] = new JsonArray("oncall") } }) };
        return policy;
    }

    [Fact]
    public async Task A_violating_pod_produces_exactly_one_post_across_reconciles_and_a_watch_restart()
    {
        await using var h = await ControllerHarness.CreateAsync(Settings());
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, RuleNotifyPolicy(Ns, "loud"));
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "quiet"));
        var pod = Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        Workloads.Pod(h.Api, Ns, "fine", privileged: false);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => _receiver.Requests.Count >= 1, "the notification");
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator") is not null, "the report");
        for (var i = 0; i < 3; i++) await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        h.Api.ClearRequestLog();
        h.Api.ExpireAllWatches();
        await Eventually.WaitUntilAsync(() => h.Api.Requests.Any(r => r.Method == "GET" && r.Path == "/api/v1/pods" && !r.Query.Contains("watch", StringComparison.Ordinal)),
            "the pod informer to relist");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        await DrainAsync(h);

        var body = Assert.Single(_receiver.Requests).Json;
        Assert.Equal(("loud", "no-privileged", "deny", "enforce", "sec"), (body["policy"]!["name"]!.GetValue<string>(), body["rule"]!.GetValue<string>(),
            body["action"]!.GetValue<string>(), body["enforcementMode"]!.GetValue<string>(), body["channels"]![0]!.GetValue<string>()));
        Assert.Equal(("Pod", Ns, "rogue", pod.Object["metadata"]!["uid"]!.GetValue<string>()), (body["object"]!["kind"]!.GetValue<string>(),
            body["object"]!["namespace"]!.GetValue<string>(), body["object"]!["name"]!.GetValue<string>(), body["object"]!["uid"]!.GetValue<string>()));
        Assert.Equal(("app", "leader"), (body["container"]!.GetValue<string>(), body["controller"]!["instance"]!.GetValue<string>()));
        Assert.Equal(1, Count(h, "security_operator_notify_sent_total"));
    }

    [Fact]
    public async Task A_policy_wide_notify_covers_its_deny_rules_and_a_resolved_finding_that_comes_back_is_sent_again()
    {
        await using var h = await ControllerHarness.CreateAsync(Settings());
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyWideNotifyPolicy(Ns, "wide"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => _receiver.Requests.Count >= 1, "the notification");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        await DrainAsync(h);
        var first = Assert.Single(_receiver.Requests).Json;
        Assert.Equal(("no-privileged", "deny", "warn", "oncall"), (first["rule"]!.GetValue<string>(), first["action"]!.GetValue<string>(),
            first["enforcementMode"]!.GetValue<string>(), first["channels"]![0]!.GetValue<string>()));

        // Fixed (the pod is gone), then back (a new pod of the same name): one more message, none in between.
        h.Api.Delete(ResourceCatalog.Pods, Ns, "rogue");
        await Eventually.WaitUntilAsync(() => !Reported(h), "an audit without the finding");
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        await Eventually.WaitUntilAsync(() => _receiver.Requests.Count >= 2, "the second notification");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        await DrainAsync(h);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal("no-privileged", _receiver.Requests[1].Json["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_leading_controller_sends()
    {
        await using var h = await ControllerHarness.CreateAsync(Settings("leader"));
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, RuleNotifyPolicy(Ns, "loud"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        // A standby: same flags, informers synced, never leading.
        var standby = new ControllerRuntime(h.Cluster.Client, Settings("standby"), new MetricsRegistry(), NullLoggerFactory.Instance, PodInformerHarness.FastWatcher());
        using var stop = new CancellationTokenSource();
        var informers = standby.RunInformersAsync(stop.Token);
        await standby.WaitForSyncAsync(CancellationToken.None).WithinLimit("the standby's caches");
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => _receiver.Requests.Count >= 1, "the leader's notification");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        await DrainAsync(h);
        Assert.Equal("leader", Assert.Single(_receiver.Requests).Json["controller"]!["instance"]!.GetValue<string>());
        await stop.CancelAsync();
        await informers.WithinLimit("the standby's informers to stop");
    }

    private static bool Reported(ControllerHarness h) =>
        h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator")?.Object["results"]?.AsArray().Count > 0;

    private static double Count(ControllerHarness h, string name) => h.Metrics.CreateCounter(name, "").Value;

    /// <summary>Waits until every message the leader queued so far was sent, given up or dropped, so that "exactly one"
    /// is checked after every earlier message had its chance to arrive (the reconciles were awaited: what they queue
    /// is counted already).</summary>
    private static Task DrainAsync(ControllerHarness h) =>
        Eventually.WaitUntilAsync(() => Count(h, "security_operator_notify_queued_total") ==
            Count(h, "security_operator_notify_sent_total") + Count(h, "security_operator_notify_failed_total") + Count(h, "security_operator_notify_dropped_total"),
            "the notify queue to drain");
}
