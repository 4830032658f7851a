using System.Globalization;
using System.Text.Json.Nodes;
using SecurityOperator.Controllers;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Controllers;

public sealed class PodQuarantineTests
{
    private const string Ns = "team-c";

    /// <summary>Rule no-privileged: deny plus quarantine for <paramref name="duration"/>, in enforce mode.</summary>
    private static JsonObject QuarantinePolicy(string ns, string duration) => new()
    {
        ["apiVersion"] = "security.io/v1",
        ["kind"] = "SecurityPolicy",
        ["metadata"] = new JsonObject { ["name"] = "isolate", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["enforcementMode"] = "enforce",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["name"] = "no-privileged",
                ["conditions"] = new JsonArray(new JsonObject { ["privilegedContainer"] = true }),
                ["actions"] = new JsonArray("deny", new JsonObject { ["quarantine"] = new JsonObject { ["duration"] = duration } }),
            }),
        },
    };

    private static void Run(ApiServerDouble api, string ns, string name) =>
        api.SetStatus(ResourceCatalog.Pods, ns, name, new JsonObject { ["phase"] = "Running" });

    private static string? Label(ApiServerDouble api, string ns, string pod) =>
        api.Get(ResourceCatalog.Pods, ns, pod)?.Object["metadata"]?["labels"]?[QuarantineMarks.Label]?.GetValue<string>();

    private static string? Annotation(ApiServerDouble api, string ns, string pod, string key) =>
        api.Get(ResourceCatalog.Pods, ns, pod)?.Object["metadata"]?["annotations"]?[key]?.GetValue<string>();

    private static StoredObjectView? NetworkPolicy(ApiServerDouble api, string ns) => api.Get(ResourceCatalog.NetworkPolicies, ns, QuarantineNetworkPolicy.Name);

    /// <summary>Reconciles until two passes in a row write nothing (the caches have caught up with our own writes);
    /// returns the writes so far.</summary>
    private static async Task<int> SettleAsync(ControllerHarness h, string ns)
    {
        var deadline = DateTime.UtcNow + Eventually.Limit;
        var quiet = 0;
        while (quiet < 2)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("still waiting for a reconcile that writes nothing");
            var before = h.Writes().Count;
            await h.Runtime.ReconcileNamespaceAsync(ns, CancellationToken.None);
            quiet = h.Writes().Count == before ? quiet + 1 : 0;
            await Task.Delay(20);
        }
        return h.Writes().Count;
    }

    [Fact]
    public async Task A_violating_pod_is_labelled_with_its_deadline_isolated_by_a_deny_all_policy_and_not_evicted()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { EnforceExisting = true, ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, QuarantinePolicy(Ns, "1h"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        Run(h.Api, Ns, "rogue");
        Workloads.Pod(h.Api, Ns, "fine", privileged: false);
        Run(h.Api, Ns, "fine");
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Label(h.Api, Ns, "rogue") is not null && NetworkPolicy(h.Api, Ns) is not null, "the pod to be quarantined");
        Assert.Equal("isolate", Label(h.Api, Ns, "rogue"));
        Assert.Null(Label(h.Api, Ns, "fine"));
        var since = DateTimeOffset.Parse(Annotation(h.Api, Ns, "rogue", QuarantineMarks.Since)!, CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse(Annotation(h.Api, Ns, "rogue", QuarantineMarks.Until)!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), until - since);
        Assert.Equal("SecurityPolicy team-c/isolate rule no-privileged", Annotation(h.Api, Ns, "rogue", QuarantineMarks.Rule));
        await Eventually.WaitUntilAsync(() => h.Api.List(ResourceCatalog.Events, Ns).Any(e => e.Object["reason"]!.GetValue<string>() == "Quarantined"),
            "a Quarantined Event");
        var ev = h.Api.List(ResourceCatalog.Events, Ns).Select(e => e.Object).Single(e => e["reason"]!.GetValue<string>() == "Quarantined");
        Assert.Equal("rogue", ev["regarding"]!["name"]!.GetValue<string>());
        Assert.Contains($"until {Annotation(h.Api, Ns, "rogue", QuarantineMarks.Until)}", ev["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("rule no-privileged", ev["note"]!.GetValue<string>(), StringComparison.Ordinal);

        var policy = NetworkPolicy(h.Api, Ns)!.Object;
        Assert.Equal("security-operator", policy["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal(["Ingress", "Egress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        var selector = policy["spec"]!["podSelector"]!["matchExpressions"]![0]!;
        Assert.Equal(QuarantineMarks.Label, selector["key"]!.GetValue<string>());
        Assert.Equal("Exists", selector["operator"]!.GetValue<string>());
        Assert.Null(policy["spec"]!["ingress"]);
        Assert.Null(policy["spec"]!["egress"]);

        // Quarantine replaces eviction for this rule; and once settled, reconciling again writes nothing.
        var writes = await SettleAsync(h, Ns);
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.Equal(writes, h.Writes().Count);
        Assert.NotNull(h.Api.Get(ResourceCatalog.Pods, Ns, "rogue"));
        Assert.DoesNotContain(h.Api.Requests, r => r.Path.EndsWith("/eviction", StringComparison.Ordinal));
        Assert.Single(h.Api.Requests, r => r.Method == "PATCH" && r.Path == $"/api/v1/namespaces/{Ns}/pods/rogue");
        Assert.All(h.Api.Requests, r => Assert.True(ControllerApiAccess.Calls.Any(c => c == ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)), $"undeclared: {r}"));
    }

    [Fact]
    public async Task Without_enforce_existing_nothing_is_quarantined()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, QuarantinePolicy(Ns, "1h"));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        Run(h.Api, Ns, "rogue");
        await h.StartAsync();
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.PolicyReports, Ns, "security-operator") is not null, "the namespace to be audited");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.Null(Label(h.Api, Ns, "rogue"));
        Assert.Null(NetworkPolicy(h.Api, Ns));
    }

    [Fact]
    public async Task A_new_controller_lifts_a_quarantine_whose_deadline_passed_removes_the_unused_policy_and_keeps_one_still_due()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { EnforceExisting = true, ReportInterval = TimeSpan.FromMilliseconds(1) });
        var now = DateTimeOffset.UtcNow;
        // State left by an earlier controller: the process that set it is gone, only the pods remember.
        foreach (var (ns, until) in new[] { (Ns, now.AddHours(-1)), ("team-d", now.AddHours(1)) })
        {
            h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, QuarantinePolicy(ns, "1h"));
            var pod = Workloads.Pod(h.Api, ns, "rogue", privileged: true).Object.DeepClone().AsObject();
            pod["metadata"]!["labels"]![QuarantineMarks.Label] = "isolate";
            pod["metadata"]!["annotations"] = new JsonObject
            {
                [QuarantineMarks.Since] = QuarantineMarks.Stamp(until.AddHours(-1)),
                [QuarantineMarks.Until] = QuarantineMarks.Stamp(until),
            };
            h.Api.Update(ResourceCatalog.Pods, pod);
            Run(h.Api, ns, "rogue");
        }
        h.Api.Seed(ResourceCatalog.NetworkPolicies, (JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(
            QuarantineNetworkPolicy.For(Ns), SecurityOperator.Kube.Models.KubeJsonContext.Default.NetworkPolicy)!);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Label(h.Api, Ns, "rogue") is null && NetworkPolicy(h.Api, Ns) is null, "the expired quarantine to be lifted");
        Assert.NotNull(Annotation(h.Api, Ns, "rogue", QuarantineMarks.Lifted));
        Assert.Null(Annotation(h.Api, Ns, "rogue", QuarantineMarks.Until));
        // The other namespace's quarantine is still due: its label stays and its deny-all policy is (re)created.
        await Eventually.WaitUntilAsync(() => NetworkPolicy(h.Api, "team-d") is not null, "the still-due quarantine to be isolated");
        Assert.Equal("isolate", Label(h.Api, "team-d", "rogue"));

        // The lifted pod still violates, yet it is not quarantined again (its spec cannot change, so it would loop).
        await SettleAsync(h, Ns);
        Assert.Null(Label(h.Api, Ns, "rogue"));
        Assert.Null(NetworkPolicy(h.Api, Ns));
        Assert.Single(h.Api.Requests, r => r.Method == "PATCH" && r.Path == $"/api/v1/namespaces/{Ns}/pods/rogue");
    }
}
