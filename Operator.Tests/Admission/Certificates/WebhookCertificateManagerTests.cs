using System.Text.Json.Nodes;
using SecurityOperator.Admission.Certificates;
using SecurityOperator.Kube.Client;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Support;
using ManualClock = SecurityOperator.Tests.Kube.Config.ManualTimeProvider;

namespace SecurityOperator.Tests.Admission.Certificates;

/// <summary>The manager against the API server double: what it writes, that it writes nothing when all is current, and
/// that a whole CA rotation keeps the webhook trusted at every step, including by API servers and pods that lag.</summary>
public class WebhookCertificateManagerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static WebhookCertificateManager Manager(WebhookCertificateCluster cluster, TimeProvider clock) =>
        new(cluster.Cluster.Client, new WebhookCertificateOptions(), clock);

    [Fact]
    public async Task Bootstrap_writes_the_secret_and_every_caBundle_then_a_second_reconcile_only_reads()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var manager = Manager(cluster, new ManualClock(T0));

        var first = await manager.ReconcileAsync();
        Assert.Equal(RotationAction.Bootstrap, first.Decision.Action);
        Assert.True(first.SecretWritten);
        Assert.Equal(["ValidatingWebhookConfiguration/security-operator-enforce", "ValidatingWebhookConfiguration/security-operator-audit",
            "MutatingWebhookConfiguration/security-operator-mutate"], first.PatchedConfigurations);

        var secret = cluster.Secret!;
        Assert.Equal("kubernetes.io/tls", secret["type"]!.GetValue<string>());
        Assert.Equal(["ca.crt", "ca.key", "tls.crt", "tls.key"], secret["data"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("security-operator", secret["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal(4, cluster.Bundles().Count);
        Assert.Equal(cluster.SecretText("ca.crt"), cluster.Bundle());
        Assert.True(WebhookCertificateCluster.Trusts(cluster.Bundle(), cluster.SecretText("tls.crt"), T0));
        // The patch touched only caBundle: the rest of each webhook is as applied.
        var enforce = cluster.Api.Get(ResourceCatalog.ValidatingWebhookConfigurations, "", "security-operator-enforce")!.Object;
        Assert.Equal("Fail", enforce["webhooks"]![0]!["failurePolicy"]!.GetValue<string>());
        Assert.Equal("/validate/enforce", enforce["webhooks"]![1]!["clientConfig"]!["service"]!["path"]!.GetValue<string>());

        var before = cluster.Api.Requests.Count;
        var second = await manager.ReconcileAsync();
        Assert.Equal(RotationAction.None, second.Decision.Action);
        Assert.False(second.WroteAnything);
        Assert.All(cluster.Api.Requests.Skip(before), r => Assert.Equal("GET", r.Method));

        // Every call the manager made is one it declares (the controller's RBAC is built from the declaration).
        foreach (var request in cluster.Api.Requests)
            Assert.Contains(ApiAccessOfRequest.Map(request.Method, request.Path, request.Query)!.Value, WebhookCertificateApiAccess.Calls);
        Assert.Contains(cluster.Api.Requests, r => r.Method == "PATCH" && r.ContentType == "application/json-patch+json");
    }

    [Fact]
    public async Task A_full_CA_rotation_overlaps_so_lagging_API_servers_and_pods_stay_trusted()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(T0);
        var manager = Manager(cluster, clock);
        var actions = new List<RotationAction>();
        var states = new List<(DateTimeOffset At, string Serving, string Bundle)>();
        var caRotations = 0;
        while (caRotations == 0 || actions[^1] != RotationAction.DropPreviousAuthorities)
        {
            Assert.True(clock.GetUtcNow() < T0 + TimeSpan.FromDays(400), "the rotation never completed");
            var result = await manager.ReconcileAsync();
            if (result.Decision.Action == RotationAction.None)
            {
                Assert.False(result.WroteAnything);
                clock.Advance(result.Decision.NextCheckAt!.Value - clock.GetUtcNow());
                continue;
            }
            actions.Add(result.Decision.Action);
            if (result.Decision.Action == RotationAction.AddAuthority) caRotations++;
            var now = clock.GetUtcNow();
            var state = (now, cluster.SecretText("tls.crt"), cluster.Bundle());
            Assert.Equal(cluster.SecretText("ca.crt"), state.Item3);
            if (states.Count > 0)
            {
                // Across each step, any mix of old and new state still verifies: an API server that has not seen the new
                // bundle yet talks to a pod that already serves the new certificate, and the other way round.
                var previous = states[^1];
                foreach (var bundle in new[] { previous.Bundle, state.Item3 })
                foreach (var serving in new[] { previous.Serving, state.Item2 })
                    Assert.True(WebhookCertificateCluster.Trusts(bundle, serving, now), $"{result.Decision.Action} at {now:o} breaks trust");
            }
            states.Add(state);
            // The step is confirmed by an immediate second pass that writes nothing.
            var confirm = await manager.ReconcileAsync();
            Assert.Equal(RotationAction.None, confirm.Decision.Action);
            Assert.False(confirm.WroteAnything);
        }

        Assert.Equal([RotationAction.Bootstrap, RotationAction.IssueServing, RotationAction.IssueServing, RotationAction.IssueServing,
            RotationAction.IssueServing, RotationAction.AddAuthority, RotationAction.IssueServing, RotationAction.DropPreviousAuthorities], actions);
        var addAt = states[5].At;
        Assert.Equal(2, CertificateCount(states[5].Bundle));
        Assert.Equal(states[4].Serving, states[5].Serving);                          // adding the CA leaves the serving cert alone
        Assert.Equal(new CertificateDurations().BundlePropagation, states[6].At - addAt);
        Assert.Equal(2, CertificateCount(states[6].Bundle));
        Assert.False(WebhookCertificateCluster.Trusts(states[0].Bundle, states[6].Serving, states[6].At)); // truly from the new CA
        Assert.Equal(new CertificateDurations().PreviousAuthorityRetention, states[7].At - states[6].At);
        Assert.Equal(1, CertificateCount(states[7].Bundle));
    }

    [Fact]
    public async Task A_configuration_recreated_without_caBundle_is_patched_and_the_propagation_wait_starts_over()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(T0);
        var manager = Manager(cluster, clock);
        await manager.ReconcileAsync();
        // Jump to the CA's renewal point; serving renewals on the way are taken as they come.
        var caRenewal = T0 + TimeSpan.FromDays(365) * (2.0 / 3.0);
        RotationAction action;
        do
        {
            clock.Advance(TimeSpan.FromDays(30) < caRenewal - clock.GetUtcNow() ? TimeSpan.FromDays(30) : caRenewal - clock.GetUtcNow());
            action = (await manager.ReconcileAsync()).Decision.Action;
        } while (action != RotationAction.AddAuthority);
        var servingBefore = cluster.SecretText("tls.crt");

        clock.Advance(TimeSpan.FromMinutes(40));
        cluster.Api.Delete(ResourceCatalog.MutatingWebhookConfigurations, "", "security-operator-mutate");
        cluster.SeedConfiguration(ResourceCatalog.MutatingWebhookConfigurations, "MutatingWebhookConfiguration", "security-operator-mutate",
            "Ignore", ["mutate.security-operator.io"], "/mutate");
        var repaired = await manager.ReconcileAsync();
        Assert.Equal(RotationAction.None, repaired.Decision.Action);
        Assert.Equal(["MutatingWebhookConfiguration/security-operator-mutate"], repaired.PatchedConfigurations);
        Assert.True(repaired.SecretWritten);                                             // the in-place time restarts
        var confirm = await manager.ReconcileAsync();
        Assert.False(confirm.WroteAnything);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(1), confirm.Decision.NextCheckAt);

        clock.Advance(TimeSpan.FromMinutes(30));                                         // 70 min after the CA was added
        Assert.Equal(RotationAction.None, (await manager.ReconcileAsync()).Decision.Action);
        Assert.Equal(servingBefore, cluster.SecretText("tls.crt"));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(RotationAction.IssueServing, (await manager.ReconcileAsync()).Decision.Action);
    }

    [Fact]
    public async Task Configurations_installed_after_the_secret_get_their_caBundle_at_the_next_reconcile()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync(withConfigurations: false);
        var manager = Manager(cluster, new ManualClock(T0));
        var first = await manager.ReconcileAsync();
        Assert.Equal(RotationAction.Bootstrap, first.Decision.Action);
        Assert.Empty(first.PatchedConfigurations);
        Assert.NotNull(cluster.Secret);

        cluster.SeedConfigurations();
        var second = await manager.ReconcileAsync();
        Assert.Equal(3, second.PatchedConfigurations.Count);
        Assert.Equal(cluster.SecretText("ca.crt"), cluster.Bundle());
    }

    [Fact]
    public async Task Unreadable_secret_content_is_replaced_and_the_reason_names_it()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Secrets, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/tls",
            ["metadata"] = new JsonObject { ["name"] = WebhookCertificateCluster.SecretName, ["namespace"] = WebhookCertificateCluster.Namespace },
            ["data"] = new JsonObject
            {
                ["tls.crt"] = Convert.ToBase64String("garbage"u8), ["tls.key"] = Convert.ToBase64String("garbage"u8),
                ["ca.crt"] = Convert.ToBase64String("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8),
            },
        });
        var result = await Manager(cluster, new ManualClock(T0)).ReconcileAsync();
        Assert.Equal(RotationAction.Bootstrap, result.Decision.Action);
        Assert.Contains("security-operator/security-operator-webhook-tls ca.crt", result.Decision.Reason);
        Assert.True(WebhookCertificateCluster.Trusts(cluster.Bundle(), cluster.SecretText("tls.crt"), T0));
    }

    [Fact]
    public async Task A_secret_of_another_type_is_reported_and_left_alone()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Secrets, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "Opaque",
            ["metadata"] = new JsonObject { ["name"] = WebhookCertificateCluster.SecretName, ["namespace"] = WebhookCertificateCluster.Namespace },
            ["data"] = new JsonObject { ["keep"] = Convert.ToBase64String("me"u8) },
        });
        var e = await Assert.ThrowsAsync<WebhookCertificateException>(() => Manager(cluster, new ManualClock(T0)).ReconcileAsync());
        Assert.Contains("has type 'Opaque'", e.Message);
        Assert.Equal("me", cluster.SecretText("keep"));
        Assert.All(cluster.Bundles(), Assert.Null);
    }

    [Fact]
    public async Task A_conflicting_write_fails_the_pass_and_the_next_pass_completes_it()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(T0);
        var manager = Manager(cluster, clock);
        await manager.ReconcileAsync();
        clock.Advance(TimeSpan.FromDays(60));
        cluster.Api.FailNext("PUT", "/secrets/", 409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
        await Assert.ThrowsAsync<KubeConflictException>(() => manager.ReconcileAsync());
        var retried = await manager.ReconcileAsync();
        Assert.Equal(RotationAction.IssueServing, retried.Decision.Action);
        Assert.True(retried.SecretWritten);
    }

    [Fact]
    public async Task A_changed_service_name_gets_a_new_serving_certificate_from_the_same_CA()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(T0);
        await Manager(cluster, clock).ReconcileAsync();
        var bundle = cluster.Bundle();
        clock.Advance(TimeSpan.FromDays(1));
        var renamed = new WebhookCertificateManager(cluster.Cluster.Client, new WebhookCertificateOptions { ServiceName = "webhook-v2" }, clock);
        var result = await renamed.ReconcileAsync();
        Assert.Equal(RotationAction.IssueServing, result.Decision.Action);
        Assert.Contains("DNS names", result.Decision.Reason);
        Assert.Equal(bundle, cluster.Bundle());
        Assert.Empty(result.PatchedConfigurations);
    }

    [Fact]
    public async Task Keys_the_manager_does_not_own_survive_its_writes()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(T0);
        var manager = Manager(cluster, clock);
        await manager.ReconcileAsync();
        var secret = cluster.Secret!;
        secret["data"]!["extra"] = Convert.ToBase64String("kept"u8);
        cluster.Api.Update(ResourceCatalog.Secrets, secret);
        Assert.False((await manager.ReconcileAsync()).WroteAnything);
        clock.Advance(TimeSpan.FromDays(60));
        Assert.True((await manager.ReconcileAsync()).SecretWritten);
        Assert.Equal("kept", cluster.SecretText("extra"));
    }

    private static int CertificateCount(string bundle) => bundle.Split("-----BEGIN CERTIFICATE-----").Length - 1;
}
