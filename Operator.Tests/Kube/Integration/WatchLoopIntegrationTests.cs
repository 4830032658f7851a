using System.Text.Json.Nodes;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>The watch loop end to end: SharedInformer over Watcher over KubeListerWatcher over KubeClient over HTTPS to
/// the double, driven through the situations the recorded server produces (watch-01..03) and the failures a real
/// cluster adds (connection resets, refused requests, a slow consumer, a big initial list).</summary>
public sealed class WatchLoopIntegrationTests
{
    private const string PodsPath = "/api/v1/namespaces/secops/pods";

    private static string? Rv(RecordedRequest request) => DoubleCluster.QueryValue(request, "resourceVersion");

    [Fact]
    public async Task Initial_paged_list_then_a_watch_from_the_list_resourceVersion_delivers_add_update_delete()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        foreach (var name in new[] { "db-3", "db-4", "web-0", "web-1", "web-2" })
            cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", name));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops", PodInformerHarness.FastWatcher(pageSize: 2));

        await informer.WaitForSyncAsync();
        var listRv = informer.Informer.LastSyncResourceVersion;
        Assert.Equal(["db-3", "db-4", "web-0", "web-1", "web-2"], informer.Log.Calls.Select(c => c.Split(' ')[1].Split('/')[1]));

        // pods-03: three pages of limit=2 chained by continue tokens; the watch starts at the snapshot RV they share.
        var lists = cluster.ListRequests(PodsPath);
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Equal("2", DoubleCluster.QueryValue(r, "limit")));
        await Eventually.WaitUntilAsync(() => cluster.WatchRequests(PodsPath).Count == 1, "the first WATCH");
        var watch = cluster.WatchRequests(PodsPath)[0];
        Assert.Equal(listRv, Rv(watch));
        Assert.Equal("true", DoubleCluster.QueryValue(watch, "allowWatchBookmarks"));
        // client-go reflector: timeoutSeconds in [5 min, 10 min).
        Assert.InRange(int.Parse(DoubleCluster.QueryValue(watch, "timeoutSeconds")!), 300, 599);

        // watch-01: ADDED, MODIFIED, DELETED of changes made by another client arrive in order with their RVs.
        var client = cluster.Client;
        var created = await client.CreateAsync(KubeResource.Pods, "secops", TestPods.New("secops", "web-3"), KubeJsonContext.Default.Pod);
        created.Metadata.Labels = new() { ["scanned"] = "true" };
        var modified = await client.ReplaceAsync(KubeResource.Pods, "secops", created, KubeJsonContext.Default.Pod);
        await client.DeleteAsync(KubeResource.Pods, "secops", "web-3", KubeJsonContext.Default.Pod);
        await informer.Log.WaitForAsync("delete secops/web-3");

        // watch-01 header: even the immediate delete of an unscheduled pod is MODIFIED (deletionTimestamp) then DELETED.
        var calls = informer.Log.Calls.Skip(5).ToList();
        Assert.Equal(4, calls.Count);
        Assert.Equal($"add secops/web-3 {created.Metadata.ResourceVersion}", calls[0]);
        Assert.Equal($"update secops/web-3 {created.Metadata.ResourceVersion}->{modified.Metadata.ResourceVersion}", calls[1]);
        Assert.StartsWith($"update secops/web-3 {modified.Metadata.ResourceVersion}->", calls[2]);
        var markedRv = long.Parse(calls[2].Split("->")[1]);
        Assert.StartsWith("delete secops/web-3 ", calls[3]);
        Assert.True(long.Parse(calls[3].Split(' ')[2]) > markedRv, calls[3]); // watch-01 frame 5: DELETED has its own, newer RV
        Assert.Null(informer.Informer.Get("secops", "web-3"));
        Assert.Equal(5, informer.Informer.List().Count);
        Assert.Equal(1, informer.Relists("initial"));
    }

    [Fact]
    public async Task Bookmarks_advance_the_resourceVersion_that_the_next_watch_resumes_from()
    {
        // watch-01: bookmarks carry only metadata.resourceVersion; the double sends them every 100 ms instead of 60 s.
        await using var cluster = await DoubleCluster.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        await informer.WaitForSyncAsync();
        await Eventually.WaitUntilAsync(() => cluster.WatchRequests(PodsPath).Count == 1, "the first WATCH");

        // A write this watch does not see (another namespace) moves the server's revision; only a bookmark reports it.
        var elsewhere = cluster.Api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "cfg", ["namespace"] = "other" } });
        await Eventually.WaitUntilAsync(() => informer.Events("BOOKMARK") >= 1, "a BOOKMARK frame");
        cluster.Api.CloseWatches();
        await Eventually.WaitUntilAsync(() => cluster.WatchRequests(PodsPath).Count == 2, "the re-WATCH after the stream ended");

        Assert.Equal(elsewhere.ResourceVersion.ToString(), Rv(cluster.WatchRequests(PodsPath)[1]));
        Assert.Single(informer.Log.Calls); // a bookmark is not an event for handlers
        Assert.Single(cluster.ListRequests(PodsPath));
    }

    [Fact]
    public async Task Normal_end_of_stream_resumes_from_the_last_resourceVersion_without_a_relist()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        await informer.WaitForSyncAsync();
        var client = cluster.Client;
        var web1 = await client.CreateAsync(KubeResource.Pods, "secops", TestPods.New("secops", "web-1"), KubeJsonContext.Default.Pod);
        await informer.Log.WaitForAsync("add secops/web-1");

        // watch-02: the server ends the chunked body at timeoutSeconds with no final event.
        cluster.Api.CloseWatches();
        await Eventually.WaitUntilAsync(() => cluster.WatchRequests(PodsPath).Count == 2, "the re-WATCH after the stream ended");
        var web2 = await client.CreateAsync(KubeResource.Pods, "secops", TestPods.New("secops", "web-2"), KubeJsonContext.Default.Pod);
        await informer.Log.WaitForAsync("add secops/web-2");

        Assert.Equal(web1.Metadata.ResourceVersion, Rv(cluster.WatchRequests(PodsPath)[1]));
        Assert.Single(cluster.ListRequests(PodsPath));
        Assert.Equal(0, informer.Backoffs);
        Assert.Equal([$"add secops/web-1 {web1.Metadata.ResourceVersion}", $"add secops/web-2 {web2.Metadata.ResourceVersion}"],
            informer.Log.Calls.Skip(1));
    }

    [Fact]
    public async Task Server_side_timeoutSeconds_ends_each_watch_and_the_informer_rewatches_from_where_it_was()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        // timeoutSeconds in [1, 2) instead of [300, 600): the double ends each stream itself at that deadline (watch-02).
        var watcher = PodInformerHarness.FastWatcher() with { MinWatchTimeout = TimeSpan.FromSeconds(1) };
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops", watcher);
        await informer.WaitForSyncAsync();
        var listRv = informer.Informer.LastSyncResourceVersion;

        var expected = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var before = cluster.WatchRequests(PodsPath).Count;
            await Eventually.WaitUntilAsync(() => cluster.WatchRequests(PodsPath).Count > before, "the next WATCH after a server-side timeout");
            var pod = cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", $"web-{i}"));
            expected.Add($"add secops/web-{i} {pod.ResourceVersion}");
            await informer.Log.WaitForAsync($"add secops/web-{i}");
        }

        Assert.Equal(expected, informer.Log.Calls.Skip(1));
        Assert.Single(cluster.ListRequests(PodsPath));
        Assert.All(cluster.WatchRequests(PodsPath), r => Assert.Equal("1", DoubleCluster.QueryValue(r, "timeoutSeconds")));
        // Every WATCH resumed from the newest RV the informer had delivered: the list's, or one of the adds.
        var delivered = expected.Select(e => e.Split(' ')[2]).Prepend(listRv).ToList();
        Assert.All(cluster.WatchRequests(PodsPath), r => Assert.Contains(Rv(r), delivered));
    }

    [Fact]
    public async Task Watch_answered_with_an_http_410_relists_like_the_in_stream_error()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        // The real server sends the 410 inside a 200 stream (watch-03); an HTTP 410 (e.g. from a proxy or an older
        // server) must lead to the same relist. The next WATCH gets it, with the Status body of watch-03 REQUEST 2.
        cluster.Api.FailNext("GET", PodsPath + "?watch=1", 410, "Expired", "too old resource version: 1 (2)");
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        await informer.WaitForSyncAsync();

        await Eventually.WaitUntilAsync(() => cluster.ListRequests(PodsPath).Count == 2 && informer.Relists("gone") == 1, "a relist after the HTTP 410");
        var pod = cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-1"));
        await informer.Log.WaitForAsync("add secops/web-1");

        Assert.Equal(["add secops/web-0", $"add secops/web-1 {pod.ResourceVersion}"],
            informer.Log.Calls.Select((c, i) => i == 0 ? string.Join(' ', c.Split(' ')[..2]) : c));
    }

    [Fact]
    public async Task Expired_resourceVersion_relists_and_objects_deleted_meanwhile_reach_the_delete_handlers()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        foreach (var name in new[] { "a", "b", "c" }) api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", name));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        await informer.WaitForSyncAsync();
        var oldRv = informer.Informer.LastSyncResourceVersion;
        var lastKnownB = informer.Informer.Get("secops", "b")!.Metadata.ResourceVersion;
        var lastKnownC = informer.Informer.Get("secops", "c")!.Metadata.ResourceVersion;

        // The operator is cut off; meanwhile the server compacts past its RV and objects change.
        informer.Gate.Close();
        api.ExpireAllWatches();
        await informer.Gate.RequestHeld.WithinLimit("the informer to try to reach the server again");
        api.Delete(ResourceCatalog.Pods, "secops", "b");
        var c = api.Get(ResourceCatalog.Pods, "secops", "c")!.Object;
        c["metadata"]!["labels"] = new JsonObject { ["changed"] = "yes" };
        var newC = api.Update(ResourceCatalog.Pods, c);
        var d = api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "d"));
        informer.Gate.Open();

        // watch-03: a WATCH from the old RV gets ERROR 410 inside a 200 stream -> relist; the relist is diffed against
        // the cache, so the deletion the operator never saw reaches the delete handler with b's last known state.
        await informer.Log.WaitForAsync("delete secops/b");
        Assert.Equal([
            $"update secops/c {lastKnownC}->{newC.ResourceVersion}",
            $"add secops/d {d.ResourceVersion}",
            $"delete secops/b {lastKnownB}"], informer.Log.Calls.Skip(3));
        Assert.Equal(["secops/a", "secops/c", "secops/d"], informer.Informer.List().Select(ObjectKey.Of).Order());
        Assert.Equal(1, informer.Relists("gone"));

        // Requests: WATCHes from the first list's RV (the last of them answered with the in-stream 410), a second LIST,
        // and a WATCH from that LIST's RV. (Whether the expiry caught the first WATCH open or still on its way decides
        // how many WATCHes asked for the old RV, one or two; either way it was never accepted.)
        var relistRv = informer.Informer.LastSyncResourceVersion;
        Assert.NotEqual(oldRv, relistRv);
        await Eventually.WaitUntilAsync(() => Rv(cluster.WatchRequests(PodsPath)[^1]) == relistRv, "a WATCH from the relist's resourceVersion");
        var watchRvs = cluster.WatchRequests(PodsPath).Select(Rv).ToList();
        Assert.Equal(relistRv, watchRvs[^1]);
        Assert.All(watchRvs[..^1], rv => Assert.Equal(oldRv, rv));
        Assert.Equal(2, cluster.ListRequests(PodsPath).Count);
    }

    [Fact]
    public async Task Continue_token_expiring_during_the_initial_list_restarts_the_list_from_scratch()
    {
        // After the first page the server compacts past the list's snapshot: the next page is an HTTP 410 (watch-03 REQUEST 2).
        ApiServerDouble? api = null;
        var lists = 0;
        var options = new SecurityOperator.Kube.Client.KubeClientOptions
        {
            OnRequestCompleted = (verb, _, _) =>
            {
                if (verb != "list" || ++lists != 1) return;
                api!.Delete(ResourceCatalog.Pods, "secops", "db-3");
                api.CompactBefore(api.ResourceVersion);
            },
        };
        await using var cluster = await DoubleCluster.StartAsync(clientOptions: options);
        api = cluster.Api;
        foreach (var name in new[] { "db-3", "db-4", "web-0", "web-1", "web-2" }) api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", name));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops", PodInformerHarness.FastWatcher(pageSize: 2));

        await informer.WaitForSyncAsync();

        // The cache never mixes snapshots: db-3 (gone before the consistent list) was never added.
        Assert.Equal(["db-4", "web-0", "web-1", "web-2"], informer.Log.Calls.Select(c => c.Split(' ')[1].Split('/')[1]));
        Assert.Equal(1, informer.Relists("gone"));
        var requests = cluster.ListRequests(PodsPath);
        Assert.Equal(4, requests.Count); // page 1, the expired page 2, then the two pages of the new list (4 pods)
        Assert.Equal([null, "x", null, "x"], requests.Select(r => DoubleCluster.QueryValue(r, "continue") is null ? null : "x"));
    }

    [Fact]
    public async Task Label_selector_informer_sees_an_object_leaving_the_selector_as_a_deletion_and_entering_as_an_add()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        var web0 = TestPods.Json("secops", "web-0");
        web0["metadata"]!["labels"] = new JsonObject { ["security.io/quarantine"] = "true" };
        api.Seed(ResourceCatalog.Pods, web0);
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-1"));
        var log = new PodEventLog();
        var metrics = new SecurityOperator.Hosting.Metrics.MetricsRegistry();
        // The factory constructor: the informer hands its selectors to the lister/watcher it creates.
        var informer = new SharedInformer<Pod>(
            selectors => new SecurityOperator.Kube.Client.KubeListerWatcher<Pod>(cluster.Client, KubeResource.Pods, "secops",
                KubeJsonContext.Default.Pod, KubeJsonContext.Default.KubeListPod, selectors.LabelSelector, selectors.FieldSelector),
            new SharedInformerOptions
            {
                Selectors = new ListWatchSelectors(LabelSelector: "security.io/quarantine=true"),
                Watcher = PodInformerHarness.FastWatcher(),
                Metrics = metrics,
            });
        informer.AddEventHandler(log);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WithinLimit("informer HasSynced");
        Assert.Equal(["secops/web-0"], informer.List().Select(ObjectKey.Of));

        // watch-05: web-1 starts matching -> ADDED; web-0 stops matching -> DELETED (the object still exists).
        var web1 = api.Get(ResourceCatalog.Pods, "secops", "web-1")!.Object;
        web1["metadata"]!["labels"] = new JsonObject { ["security.io/quarantine"] = "true" };
        api.Update(ResourceCatalog.Pods, web1);
        var released = api.Get(ResourceCatalog.Pods, "secops", "web-0")!.Object;
        released["metadata"]!["labels"] = new JsonObject { ["security.io/quarantine"] = "false" };
        api.Update(ResourceCatalog.Pods, released);
        await log.WaitForAsync("delete secops/web-0");

        Assert.Equal(["add secops/web-0", "add secops/web-1", "delete secops/web-0"], log.Calls.Select(c => string.Join(' ', c.Split(' ')[..2])));
        Assert.Equal(["secops/web-1"], informer.List().Select(ObjectKey.Of));
        Assert.NotNull(api.Get(ResourceCatalog.Pods, "secops", "web-0"));
        Assert.All(cluster.Api.Requests.Where(r => r.Path == PodsPath),
            r => Assert.Equal("security.io/quarantine=true", DoubleCluster.QueryValue(r, "labelSelector")));
        stop.Cancel();
        await run.WithinLimit("the informer to stop");
    }

    [Fact]
    public async Task Connection_reset_and_refused_watches_back_off_then_resume_without_duplicate_or_lost_events()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        await informer.WaitForSyncAsync();
        var api = cluster.Api;
        var expected = new List<string>();
        for (var i = 0; i < 50; i++)
            expected.Add($"add secops/p-{i:D3} {api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", $"p-{i:D3}")).ResourceVersion}");
        await informer.Log.WaitForAsync("add secops/p-000");

        // A restarting kube-apiserver: the open stream is reset, then the next three WATCHes are refused.
        api.FailNext("GET", PodsPath + "?watch=1", 503, "ServiceUnavailable", "the server is currently unable to handle the request", times: 3);
        api.ResetConnections();
        for (var i = 50; i < 100; i++)
            expected.Add($"add secops/p-{i:D3} {api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", $"p-{i:D3}")).ResourceVersion}");
        await informer.Log.WaitForAsync("add secops/p-099");

        Assert.Equal(expected, informer.Log.Calls); // each once, in order
        Assert.True(informer.Backoffs >= 3, $"backoffs: {informer.Backoffs}");
        var rewatches = cluster.WatchRequests(PodsPath).Skip(1).ToList();
        Assert.True(rewatches.Count >= 4, string.Join("\n", rewatches));
        Assert.All(rewatches, r => Assert.Contains(expected, e => e.EndsWith(" " + Rv(r)))); // resumed from a delivered RV
        Assert.Single(cluster.ListRequests(PodsPath)); // resumed, never relisted
    }

    [Fact]
    public async Task Slow_consumer_loses_nothing_and_sees_every_change_in_order()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var log = new PodEventLog
        {
            BeforeRecord = call =>
            {
                if (!call.StartsWith("add secops/slow-000 ", StringComparison.Ordinal)) return;
                blocked.TrySetResult();
                release.Wait(Eventually.Limit); // the handler (and so the whole informer loop) stalls here
            },
        };
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops", log: log);
        await informer.WaitForSyncAsync();
        var api = cluster.Api;

        var expected = new List<string>();
        var first = api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "slow-000"));
        expected.Add($"add secops/slow-000 {first.ResourceVersion}");
        await blocked.Task.WithinLimit("the handler to block");
        var created = new List<StoredObjectView> { first };
        for (var i = 1; i < 300; i++)
        {
            created.Add(api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", $"slow-{i:D3}")));
            expected.Add($"add secops/slow-{i:D3} {created[^1].ResourceVersion}");
        }
        foreach (var pod in created)
        {
            var changed = pod.Object;
            changed["metadata"]!["labels"] = new JsonObject { ["round"] = "2" };
            var updated = api.Update(ResourceCatalog.Pods, changed);
            expected.Add($"update secops/{pod.Name} {pod.ResourceVersion}->{updated.ResourceVersion}");
        }
        release.Set();

        await log.WaitUntilAsync(calls => calls.Count == expected.Count, $"{expected.Count} handler calls");
        Assert.Equal(expected, log.Calls);
        Assert.Equal(1, log.MaxConcurrentCalls);
        Assert.Single(cluster.ListRequests(PodsPath));
        Assert.All(informer.Informer.List(), p => Assert.Equal("2", p.Metadata.Labels!["round"]));
    }

    [Fact]
    public async Task Ten_thousand_pods_sync_in_pages_of_500_and_the_watch_continues_from_the_list()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        for (var i = 0; i < 10_000; i++)
            cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json($"bulk-{i % 4}", $"pod-{i:D5}"));
        await using var informer = PodInformerHarness.Start(cluster.Client, null); // all namespaces: /api/v1/pods

        await informer.WaitForSyncAsync(TimeSpan.FromMinutes(3)); // 20 pages and 10,000 handler calls on a loaded 2-core box

        Assert.True(informer.Informer.HasSynced);
        Assert.Equal(10_000, informer.Informer.List().Count);
        Assert.Equal(10_000, informer.Log.Calls.Count(c => c.StartsWith("add ", StringComparison.Ordinal)));
        Assert.Equal(2_500, informer.Informer.ByIndex(SharedInformer<Pod>.NamespaceIndex, "bulk-2").Count);
        Assert.Equal("bulk-3", informer.Informer.Get("bulk-3", "pod-09999")!.Metadata.Namespace);
        var lists = cluster.ListRequests("/api/v1/pods");
        Assert.Equal(20, lists.Count);
        Assert.All(lists, r => Assert.Equal("500", DoubleCluster.QueryValue(r, "limit")));

        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("bulk-0", "late"));
        await informer.Log.WaitForAsync("add bulk-0/late");
        Assert.Equal(10_001, informer.Informer.List().Count);
        Assert.Equal(informer.Informer.LastSyncResourceVersion, cluster.Api.ResourceVersion.ToString());
    }
}
