using System.Text.Json.Nodes;
using SecurityOperator.Controllers;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

/// <summary>spec.remediation (policy-wide) quarantine: applied to the policy's deny violations only when automatic is true.</summary>
public sealed class PolicyRemediationTests
{
    private const string Ns = "team-r";

    /// <summary>A plain deny rule; quarantine only in spec.remediation.</summary>
    private static JsonObject Policy(bool? automatic)
    {
        var policy = PolicyObjects.Namespaced(Ns, "wide");
        var remediation = new JsonObject
        {
            ["actions"] = new JsonArray(new JsonObject { ["quarantine"] = new JsonObject { ["duration"] = "30m" } }),
        };
        if (automatic is { } a) remediation["automatic"] = a;
        policy["spec"]!["remediation"] = remediation;
        return policy;
    }

    private static string? Label(ApiServerDouble api, string pod) =>
        api.Get(ResourceCatalog.Pods, Ns, pod)?.Object["metadata"]?["labels"]?[QuarantineMarks.Label]?.GetValue<string>();

    private static async Task<ControllerHarness> StartAsync(bool? automatic)
    {
        var h = await ControllerHarness.CreateAsync(new ControllerSettings { EnforceExisting = true, ReportInterval = TimeSpan.FromMilliseconds(1) });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, Policy(automatic));
        Workloads.Pod(h.Api, Ns, "rogue", privileged: true);
        h.Api.SetStatus(ResourceCatalog.Pods, Ns, "rogue", new JsonObject { ["phase"] = "Running" });
        await h.StartAsync();
        return h;
    }

    [Fact]
    public async Task An_automatic_policy_wide_quarantine_isolates_a_pod_that_violates_a_deny_rule_instead_of_evicting_it()
    {
        await using var h = await StartAsync(automatic: true);
        await Eventually.WaitUntilAsync(() => Label(h.Api, "rogue") is not null, "the pod to be quarantined");
        Assert.Equal("wide", Label(h.Api, "rogue"));
        var annotations = h.Api.Get(ResourceCatalog.Pods, Ns, "rogue")!.Object["metadata"]!["annotations"]!;
        Assert.Equal("SecurityPolicy team-r/wide rule no-privileged", annotations[QuarantineMarks.Rule]!.GetValue<string>());
        var since = DateTimeOffset.Parse(annotations[QuarantineMarks.Since]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse(annotations[QuarantineMarks.Until]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(30), until - since);
        await Eventually.WaitUntilAsync(() => h.Api.Get(ResourceCatalog.NetworkPolicies, Ns, QuarantineNetworkPolicy.Name) is not null, "the deny-all policy");
        Assert.DoesNotContain(h.Api.Requests, r => r.Path.EndsWith("/eviction", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Without_automatic_the_policy_wide_quarantine_is_not_applied_and_the_pod_is_evicted_as_usual(bool? automatic)
    {
        await using var h = await StartAsync(automatic);
        await Eventually.WaitUntilAsync(() => h.Api.Requests.Any(r => r.Path == $"/api/v1/namespaces/{Ns}/pods/rogue/eviction"), "the eviction");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.Null(Label(h.Api, "rogue"));
        Assert.Null(h.Api.Get(ResourceCatalog.NetworkPolicies, Ns, QuarantineNetworkPolicy.Name));
    }
}
