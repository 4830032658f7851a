using System.Text.Json.Nodes;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>KubeClient, configured from the kubeconfig the double writes, against the double over HTTPS: create, get,
/// list with paging, replace, delete and eviction, as the recorded kube-apiserver v1.28 answers them.</summary>
public sealed class ClientCrudIntegrationTests
{
    private static readonly KubeResource Pods = KubeResource.Pods;

    [Fact]
    public async Task Kubeconfig_from_the_double_gives_a_client_that_creates_and_gets_a_defaulted_pod()
    {
        await using var cluster = await DoubleCluster.StartAsync(contextNamespace: "secops");
        var client = cluster.Client;
        Assert.Equal("secops", client.DefaultNamespace);
        await client.CreateAsync(KubeResource.Namespaces, null, new Namespace { Metadata = new ObjectMeta { Name = "secops" } },
            KubeJsonContext.Default.Namespace);

        // pods-01 REQUEST 2: the 201 body is the stored, defaulted object (uid, resourceVersion, phase Pending).
        var created = await client.CreateAsync(Pods, client.DefaultNamespace, TestPods.New("secops", "web-0"), KubeJsonContext.Default.Pod);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("Pending", created.Status?.Phase);

        var read = await client.GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("nginx:1.25", Assert.Single(read.Spec!.Containers!).Image);

        // The operator's own User-Agent, never curl's (the server would pretty-print and take "curl" as field manager).
        Assert.All(cluster.Api.Requests, r => Assert.StartsWith("security-operator/", r.UserAgent));
    }

    [Fact]
    public async Task ListAll_asks_for_pages_of_500_by_default_and_follows_continue_tokens_to_the_end()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        for (var i = 0; i < 1_203; i++) cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("bulk", $"pod-{i:D5}"));

        var all = await cluster.Client.ListAllAsync(Pods, "bulk", KubeJsonContext.Default.KubeListPod);

        Assert.Equal(1_203, all.Items.Count);
        Assert.Equal(Enumerable.Range(0, 1_203).Select(i => $"pod-{i:D5}"), all.Items.Select(p => p.Metadata.Name)); // name order (pods-03)
        Assert.Null(all.Metadata.Continue);
        var lists = cluster.ListRequests("/api/v1/namespaces/bulk/pods");
        Assert.Equal(3, lists.Count); // 500 + 500 + 203
        Assert.All(lists, r => Assert.Equal("500", DoubleCluster.QueryValue(r, "limit")));
        Assert.Null(DoubleCluster.QueryValue(lists[0], "continue"));
        Assert.NotNull(DoubleCluster.QueryValue(lists[1], "continue"));
        Assert.NotEqual(DoubleCluster.QueryValue(lists[1], "continue"), DoubleCluster.QueryValue(lists[2], "continue"));
    }

    [Fact]
    public async Task Small_pages_share_one_snapshot_so_a_pod_created_between_pages_is_not_listed()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        foreach (var name in new[] { "db-3", "db-4", "web-0", "web-1", "web-2" })
            cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", name));
        var client = cluster.Client;

        // pods-03: limit=2 over 5 pods; every page has the first page's resourceVersion and remainingItemCount until the last.
        var first = await client.ListAsync(Pods, "secops", KubeJsonContext.Default.KubeListPod, new ListOptions { Limit = 2 });
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-1a")); // after the snapshot: must not appear
        var second = await client.ListAsync(Pods, "secops", KubeJsonContext.Default.KubeListPod,
            new ListOptions { Limit = 2, Continue = first.Metadata.Continue });
        var third = await client.ListAsync(Pods, "secops", KubeJsonContext.Default.KubeListPod,
            new ListOptions { Limit = 2, Continue = second.Metadata.Continue });

        Assert.Equal(["db-3", "db-4"], first.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["web-0", "web-1"], second.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["web-2"], third.Items.Select(p => p.Metadata.Name));
        Assert.Equal((3L, 1L, (long?)null), (first.Metadata.RemainingItemCount, second.Metadata.RemainingItemCount, third.Metadata.RemainingItemCount));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
        Assert.True(string.IsNullOrEmpty(third.Metadata.Continue));

        var fresh = await client.ListAllAsync(Pods, "secops", KubeJsonContext.Default.KubeListPod, pageSize: 2);
        Assert.Contains("web-1a", fresh.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task ListAll_starts_over_without_paging_when_the_continue_token_expired_between_pages()
    {
        // Between the first and the second page the server compacts past the list's snapshot (watch-03 REQUEST 2).
        ApiServerDouble? api = null;
        var lists = 0;
        var options = new KubeClientOptions
        {
            OnRequestCompleted = (verb, _, _) =>
            {
                if (verb != "list" || ++lists != 1) return;
                api!.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-9"));
                api.CompactBefore(api.ResourceVersion);
            },
        };
        await using var cluster = await DoubleCluster.StartAsync(clientOptions: options);
        api = cluster.Api;
        foreach (var name in new[] { "db-3", "db-4", "web-0", "web-1", "web-2" }) api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", name));

        var all = await cluster.Client.ListAllAsync(Pods, "secops", KubeJsonContext.Default.KubeListPod, pageSize: 2);

        // client-go pager FullListIfExpired: the 410 on the continue token is followed by one unpaged LIST, which is
        // consistent (and so includes the pod created in between) instead of mixing two snapshots.
        Assert.Equal(["db-3", "db-4", "web-0", "web-1", "web-2", "web-9"], all.Items.Select(p => p.Metadata.Name));
        var requests = cluster.ListRequests("/api/v1/namespaces/secops/pods");
        Assert.Equal(3, requests.Count);
        Assert.NotNull(DoubleCluster.QueryValue(requests[1], "continue"));
        Assert.Equal((null, null), (DoubleCluster.QueryValue(requests[2], "limit"), DoubleCluster.QueryValue(requests[2], "continue")));
        Assert.Equal(api.ResourceVersion.ToString(), all.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_with_a_stale_resourceVersion_is_a_conflict_with_the_servers_message_and_a_fresh_one_succeeds()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-1"));
        var client = cluster.Client;
        var stale = await client.GetAsync(Pods, "secops", "web-1", KubeJsonContext.Default.Pod);
        var current = await client.GetAsync(Pods, "secops", "web-1", KubeJsonContext.Default.Pod);
        current.Metadata.Labels = new() { ["round"] = "1" };
        var updated = await client.ReplaceAsync(Pods, "secops", current, KubeJsonContext.Default.Pod);
        Assert.NotEqual(stale.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        // pods-09 REQUEST 1: 409 reason Conflict with this exact message.
        stale.Metadata.Labels = new() { ["round"] = "stale" };
        var conflict = await Assert.ThrowsAsync<KubeConflictException>(() => client.ReplaceAsync(Pods, "secops", stale, KubeJsonContext.Default.Pod));
        Assert.Equal((409, "Conflict"), (conflict.Code, conflict.Reason));
        Assert.Equal("Operation cannot be fulfilled on pods \"web-1\": the object has been modified; please apply your changes to the latest version and try again",
            conflict.Status!.Message);
        Assert.Equal("PUT /api/v1/namespaces/secops/pods/web-1", conflict.Request);

        // pods-09 REQUEST 3: without a resourceVersion a pod PUT is unconditional.
        stale.Metadata.ResourceVersion = null;
        var forced = await client.ReplaceAsync(Pods, "secops", stale, KubeJsonContext.Default.Pod);
        Assert.Equal("stale", forced.Metadata.Labels!["round"]);
    }

    [Fact]
    public async Task Delete_of_a_pod_returns_the_pod_and_of_a_custom_resource_a_status()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-2"));
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "bound-0", nodeName: "node-a"));
        api.Seed(ResourceCatalog.SecurityPolicies, SecurityPolicyJson("secops", "no-privileged"));
        var client = cluster.Client;

        // pods-10 REQUEST 1: an unscheduled pod is removed at once and the answer is the Pod.
        var deleted = await client.DeleteAsync(Pods, "secops", "web-2", KubeJsonContext.Default.Pod);
        Assert.Null(deleted.Status);
        Assert.Equal("web-2", deleted.Object!.Metadata.Name);
        await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync(Pods, "secops", "web-2", KubeJsonContext.Default.Pod));

        // pods-10 REQUEST 3: a node-bound pod is deleted gracefully: the answer carries deletionTimestamp and the 30 s grace.
        var terminating = await client.DeleteAsync(Pods, "secops", "bound-0", KubeJsonContext.Default.Pod);
        Assert.NotNull(terminating.Object!.Metadata.DeletionTimestamp);
        Assert.Equal(30, terminating.Object.Metadata.DeletionGracePeriodSeconds);

        // pods-10 REQUEST 7: a uid precondition that does not match is a 409.
        await Assert.ThrowsAsync<KubeConflictException>(() => client.DeleteAsync(Pods, "secops", "bound-0", KubeJsonContext.Default.Pod,
            new DeleteOptions { Preconditions = new Preconditions { Uid = "00000000-0000-0000-0000-000000000000" } }));

        // crd-02 REQUEST 6: a custom resource answers a Status {Success, details{name, group, kind=plural}}.
        var cr = await client.DeleteAsync(KubeResource.SecurityPolicies, "secops", "no-privileged", IntegrationJsonContext.Default.CustomObject);
        Assert.Null(cr.Object);
        Assert.True(cr.Status!.IsSuccess);
        Assert.Equal(("no-privileged", "security.io", "securitypolicies"), (cr.Status.Details!.Name, cr.Status.Details.Group, cr.Status.Details.Kind));
        Assert.Null(api.Get(ResourceCatalog.SecurityPolicies, "secops", "no-privileged"));
    }

    [Fact]
    public async Task Eviction_is_201_success_and_a_disruption_budget_block_is_a_429_without_retry_after()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "free-0"));
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "guarded-0", nodeName: "node-a"));
        var guarded = api.Get(ResourceCatalog.Pods, "secops", "guarded-0")!.Object;
        guarded["metadata"]!["labels"] = new JsonObject { ["app"] = "guarded" };
        api.Update(ResourceCatalog.Pods, guarded);
        api.SetStatus(ResourceCatalog.Pods, "secops", "guarded-0", new JsonObject { ["phase"] = "Running" }); // pods-11 REQUEST 5
        api.BlockEvictions("secops", "app=guarded", "guarded-pdb");
        var client = cluster.Client;

        // pods-11 REQUEST 1: success is 201 with a Status {status: Success, code: 201}.
        var evicted = await client.EvictAsync("secops", "free-0");
        Assert.True(evicted.IsSuccess);
        Assert.Equal(201, evicted.Code);
        Assert.Null(api.Get(ResourceCatalog.Pods, "secops", "free-0"));

        // pods-11 REQUEST 8: 429 TooManyRequests, cause DisruptionBudget, no Retry-After.
        var blocked = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.EvictAsync("secops", "guarded-0"));
        Assert.True(blocked.IsDisruptionBudget);
        Assert.Null(blocked.RetryAfter);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", blocked.Status!.Message);
        Assert.Equal("The disruption budget guarded-pdb needs 1 healthy pods and has 1 currently", Assert.Single(blocked.Causes).Message);
        Assert.NotNull(api.Get(ResourceCatalog.Pods, "secops", "guarded-0"));

        // pods-11 REQUEST 3: a missing pod is a NotFound.
        await Assert.ThrowsAsync<KubeNotFoundException>(() => client.EvictAsync("secops", "free-0"));
    }

    internal static JsonObject SecurityPolicyJson(string @namespace, string name) => new()
    {
        ["apiVersion"] = "security.io/v1",
        ["kind"] = "SecurityPolicy",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject
        {
            ["enforcement"] = "Enforce",
            ["rules"] = new JsonArray(new JsonObject { ["name"] = "deny-privileged", ["action"] = "Deny" }),
        },
    };
}
