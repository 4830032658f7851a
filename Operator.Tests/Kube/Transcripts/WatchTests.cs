using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Watch behaviour of the double against the watch transcripts, over raw HttpClient. Assertions are about
/// frames and their order, never about timing: watches that must outlive test actions get long timeouts (the machine
/// may be slow) and are ended by disposing them; short timeouts are used only where the outcome does not depend on
/// what happens before the deadline.</summary>
public sealed class WatchTests
{
    private static StringContent Json(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8, contentType);

    private static async Task<JsonNode> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null,
        string contentType = "application/json", HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Json(body, contentType);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Pod(string name, string labels = """{"app":"watch-demo"}""", string? nodeName = null)
    {
        var spec = new JsonObject();
        if (nodeName is not null) spec["nodeName"] = nodeName;
        spec["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.25" });
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = JsonNode.Parse(labels) },
            ["spec"] = spec,
        }.ToJsonString();
    }

    private static async Task<string> ListResourceVersionAsync(HttpClient client, string path) =>
        (await SendAsync(client, HttpMethod.Get, path))["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task Watch_01_events_after_the_list_rv_with_deletes_as_modified_then_deleted()
    {
        await using var api = await ApiServerDouble.StartAsync();
        api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "secops" } });
        using var client = api.CreateHttpClient();
        var rv = await ListResourceVersionAsync(client, "/api/v1/namespaces/secops/pods?labelSelector=app%3Dwatch-demo");
        await using var watch = await WatchStream.OpenAsync(client,
            $"/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=90");
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType!.ToString());
        Assert.True(watch.Response.Headers.TransferEncodingChunked);

        // The ACTIONS of watch-01, in order.
        await SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/secops/pods", Pod("watch-demo", nodeName: "node-a"), expected: HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Patch, "/api/v1/namespaces/secops/pods/watch-demo", """{"metadata":{"labels":{"stage":"2"}}}""", "application/merge-patch+json");
        await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/secops/pods/watch-demo");
        var forced = await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/secops/pods/watch-demo",
            """{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}""");
        await SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/secops/pods", Pod("watch-demo-2"), expected: HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/secops/pods/watch-demo-2");

        var recorded = TranscriptDirectory.Load("watch-01-namespace-bookmarks.txt").Exchange(1).Response.Frames
            .Where(f => f.Type != "BOOKMARK").ToList();
        var frames = await watch.NextEventsAsync(recorded.Count);
        Assert.Equal(recorded.Select(f => (f.Type, f.Name)), frames.Select(f => (WatchStream.Type(f), WatchStream.Name(f))));
        var versions = frames.Select(f => long.Parse(WatchStream.ResourceVersion(f))).ToList();
        Assert.Equal(versions.Order(), versions); // commit order
        Assert.Equal(30, frames[2]["object"]!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>()); // graceful: node-bound
        Assert.Equal(0, frames[3]["object"]!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());  // forced
        Assert.Equal(forced["metadata"]!["resourceVersion"]!.GetValue<string>(), WatchStream.ResourceVersion(frames[3]));
        Assert.True(versions[4] > versions[3]); // DELETED has its own, newer revision
        Assert.Equal(recorded[0].Json["object"]!["kind"]!.GetValue<string>(), frames[0]["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bookmark_is_the_recorded_skeleton_and_comes_only_after_progress()
    {
        await using var api = await ApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "secops" } });
        using var client = api.CreateHttpClient();
        var rv = await ListResourceVersionAsync(client, "/api/v1/namespaces/secops/pods");

        // watch-02 REQUEST 3: nothing changes, so the stream ends at the timeout with no frame at all.
        await using (var quiet = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=1"))
            Assert.Empty(await quiet.ReadToEndAsync());

        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=30");
        var created = await SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/secops/pods", Pod("p1"), expected: HttpStatusCode.Created);
        Assert.Equal("ADDED", WatchStream.Type((await watch.NextAsync())!));
        var bookmark = (await watch.NextAsync())!;
        Assert.Equal("BOOKMARK", WatchStream.Type(bookmark));
        // watch-01 frame 9, with our resourceVersion.
        var recorded = TranscriptDirectory.Load("watch-01-namespace-bookmarks.txt").Exchange(1).Response.Frames.First(f => f.Type == "BOOKMARK").Json;
        recorded["object"]!["metadata"]!["resourceVersion"] = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(recorded, bookmark), bookmark.ToJsonString());
    }

    [Fact]
    public async Task Timeout_ends_the_stream_normally_without_a_final_event()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("a"))!.AsObject());
        // watch-02 REQUEST 1: rv=0 replays the current state as ADDED, then the timeout ends the body.
        await using var watch = await WatchStream.OpenAsync(client, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&timeoutSeconds=1");
        var frames = await watch.ReadToEndAsync();
        Assert.Equal(["ADDED"], frames.Select(WatchStream.Type));
    }

    [Fact]
    public async Task Too_old_resource_version_is_one_error_event_inside_a_200_then_the_end()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var old = api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("a"))!.AsObject()).ResourceVersion;
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("b"))!.AsObject());
        var latest = api.ResourceVersion;
        api.CompactBefore(latest);

        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&resourceVersion={old}&timeoutSeconds=90");
        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        var frames = await watch.ReadToEndAsync(); // ends at once: the 90 s timeout is not waited out
        var error = Assert.Single(frames);
        var recorded = TranscriptDirectory.Load("watch-03-410-gone-after-compaction.txt").Find("older than anything").Response.Frames.Single().Json;
        recorded["object"]!["message"] = $"too old resource version: {old} ({latest})";
        Assert.True(JsonNode.DeepEquals(recorded, error), error.ToJsonString());

        // From the compaction point on, watching works again.
        await using var fresh = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&resourceVersion={latest}&timeoutSeconds=1");
        Assert.Empty(await fresh.ReadToEndAsync());
    }

    [Fact]
    public async Task Watch_resumes_with_the_events_after_an_older_rv_still_in_history()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var from = api.ResourceVersion;
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("a", """{"app":"guarded"}"""))!.AsObject());
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("b"))!.AsObject());
        api.SetStatus(ResourceCatalog.Pods, "default", "a", new JsonObject { ["phase"] = "Running" });
        // watch-03 REQUEST 1: the events after the rv, filtered by the selector, then the timeout.
        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dguarded&resourceVersion={from}&timeoutSeconds=1");
        var frames = await watch.ReadToEndAsync();
        Assert.Equal(["ADDED", "MODIFIED"], frames.Select(WatchStream.Type));
        Assert.Equal("Running", frames[1]["object"]!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_05_selector_transitions_are_added_and_deleted()
    {
        await using var api = await ApiServerDouble.StartAsync();
        api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "secops" } });
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("web-0", """{"app":"web"}"""))!.AsObject().Also("secops"));
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("web-1", """{"app":"web","security.io/quarantine":"true"}"""))!.AsObject().Also("secops"));
        using var client = api.CreateHttpClient();
        var list = await SendAsync(client, HttpMethod.Get, "/api/v1/namespaces/secops/pods?labelSelector=security.io%2Fquarantine%3Dtrue");
        Assert.Equal(["web-1"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = await WatchStream.OpenAsync(client,
            $"/api/v1/namespaces/secops/pods?watch=1&labelSelector=security.io%2Fquarantine%3Dtrue&resourceVersion={rv}&timeoutSeconds=300");

        await SendAsync(client, HttpMethod.Patch, "/api/v1/namespaces/secops/pods/web-0", """{"metadata":{"labels":{"security.io/quarantine":"true"}}}""", "application/merge-patch+json");
        await SendAsync(client, HttpMethod.Patch, "/api/v1/namespaces/secops/pods/web-0", """{"metadata":{"annotations":{"note":"x"}}}""", "application/merge-patch+json");
        var leaving = await SendAsync(client, HttpMethod.Patch, "/api/v1/namespaces/secops/pods/web-1", """{"metadata":{"labels":{"security.io/quarantine":null}}}""", "application/merge-patch+json");

        var recorded = TranscriptDirectory.Load("watch-05-label-selector-transitions.txt").Exchange(1).Response.Frames;
        var frames = await watch.NextEventsAsync(recorded.Count);
        Assert.Equal(recorded.Select(f => (f.Type, f.Name)), frames.Select(f => (WatchStream.Type(f), WatchStream.Name(f))));
        // The DELETED frame carries the state before the change (label still there) with the new resourceVersion.
        var deleted = frames[2]["object"]!;
        Assert.Equal("true", deleted["metadata"]!["labels"]!["security.io/quarantine"]!.GetValue<string>());
        Assert.Equal(leaving["metadata"]!["resourceVersion"]!.GetValue<string>(), deleted["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.NotNull(api.Get(ResourceCatalog.Pods, "secops", "web-1")); // not deleted, only no longer matching
    }

    [Fact]
    public async Task Watch_04_cluster_wide_without_rv_starts_with_added_for_every_namespace()
    {
        await using var api = await ApiServerDouble.StartAsync();
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("db-3"))!.AsObject().Also("secops"));
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("web-0"))!.AsObject().Also("secops"));
        api.Seed(ResourceCatalog.Pods, JsonNode.Parse(Pod("other"))!.AsObject().Also("team-b"));
        using var client = api.CreateHttpClient();
        await using var watch = await WatchStream.OpenAsync(client, "/api/v1/pods?watch=1&timeoutSeconds=300");
        await SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/default/pods", Pod("probe"), expected: HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/default/pods/probe");

        var frames = await watch.NextEventsAsync(6);
        Assert.Equal([("ADDED", "secops/db-3"), ("ADDED", "secops/web-0"), ("ADDED", "team-b/other"),
                ("ADDED", "default/probe"), ("MODIFIED", "default/probe"), ("DELETED", "default/probe")],
            frames.Select(f => (WatchStream.Type(f), $"{f["object"]!["metadata"]!["namespace"]}/{WatchStream.Name(f)}")));
        // watch-04: the synthetic ADDED objects keep their own older resourceVersions.
        Assert.Equal(api.Get(ResourceCatalog.Pods, "secops", "db-3")!.ResourceVersion.ToString(), WatchStream.ResourceVersion(frames[0]));
    }

    [Fact]
    public async Task Watch_07_custom_resources_no_op_and_rejected_patches_make_no_event()
    {
        await using var api = await ApiServerDouble.StartAsync();
        api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "secops" } });
        using var client = api.CreateHttpClient();
        const string collection = "/apis/security.io/v1/namespaces/secops/securitypolicies";
        await using var watch = await WatchStream.OpenAsync(client, $"{collection}?watch=1&allowWatchBookmarks=true&timeoutSeconds=300");
        var policy = """{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"no-privileged"},"spec":{"rules":[{"name":"r","action":"Deny"}]}}""";
        await SendAsync(client, HttpMethod.Post, collection, policy, expected: HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Patch, $"{collection}/no-privileged/status", """{"status":{"violations":2}}""", "application/merge-patch+json");
        var current = await SendAsync(client, HttpMethod.Get, $"{collection}/no-privileged");
        current["spec"]!["enforcement"] = "Enforce";
        current["status"] = new JsonObject { ["violations"] = 0 };
        var put = await SendAsync(client, HttpMethod.Put, $"{collection}/no-privileged", current.ToJsonString());
        var noop = await SendAsync(client, HttpMethod.Patch, $"{collection}/no-privileged", """{"status":{"violations":1000}}""", "application/merge-patch+json");
        Assert.Equal(put["metadata"]!["resourceVersion"]!.GetValue<string>(), noop["metadata"]!["resourceVersion"]!.GetValue<string>());
        await SendAsync(client, HttpMethod.Patch, $"{collection}/no-privileged", """{"metadata":{"labels":{"x":"y"}}}""",
            "application/strategic-merge-patch+json", HttpStatusCode.UnsupportedMediaType);
        await SendAsync(client, HttpMethod.Post, collection, policy.Replace("no-privileged", "audit-only"), expected: HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Delete, $"{collection}/audit-only");

        var recorded = TranscriptDirectory.Load("watch-07-custom-resources.txt").Exchange(0).Response.Frames;
        var frames = await watch.NextEventsAsync(recorded.Count);
        Assert.Equal(recorded.Select(f => (f.Type, f.Name)), frames.Select(f => (WatchStream.Type(f), WatchStream.Name(f))));
        Assert.Equal(recorded.Select(f => f.Json["object"]!["metadata"]!["generation"]!.GetValue<int>()),
            frames.Select(f => f["object"]!["metadata"]!["generation"]!.GetValue<int>()));
        Assert.Equal(2, frames[2]["object"]!["status"]!["violations"]!.GetValue<int>()); // PUT did not change status
        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"security.io/v1\",\"kind\":\"SecurityPolicy\",\"metadata\":{\"creationTimestamp\"",
            frames[0].ToJsonString()); // CR keys alphabetical, as recorded
    }

    [Fact]
    public async Task Watchlist_request_is_a_plain_422()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var status = await SendAsync(client, HttpMethod.Get,
            "/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5",
            expected: HttpStatusCode.UnprocessableEntity);
        Assert.Equal("sendInitialEvents", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Close_watches_ends_streams_normally_and_reset_aborts_them()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        await using (var watch = await WatchStream.OpenAsync(client, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=0"))
        {
            api.CloseWatches();
            Assert.Empty(await watch.ReadToEndAsync());
        }
        await using (var watch = await WatchStream.OpenAsync(client, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=0"))
        {
            api.ResetConnections();
            await Assert.ThrowsAnyAsync<IOException>(() => watch.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Expire_all_watches_ends_open_watches_and_the_rewatch_gets_410()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var rv = await ListResourceVersionAsync(client, "/api/v1/namespaces/default/pods");
        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}");
        api.ExpireAllWatches();
        Assert.Empty(await watch.ReadToEndAsync());
        await using var rewatch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}");
        var error = Assert.Single(await rewatch.ReadToEndAsync());
        Assert.Equal(("ERROR", 410), (WatchStream.Type(error), error["object"]!["code"]!.GetValue<int>()));
        // A relist gives a fresh resourceVersion that can be watched.
        var fresh = await ListResourceVersionAsync(client, "/api/v1/namespaces/default/pods");
        await using var ok = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/pods?watch=1&resourceVersion={fresh}&timeoutSeconds=1");
        Assert.Empty(await ok.ReadToEndAsync());
    }

    [Fact]
    public async Task Slow_consumer_past_the_queue_capacity_gets_an_ordinary_end_of_stream()
    {
        await using var api = await ApiServerDouble.StartAsync(new ApiServerDoubleOptions { WatchQueueCapacity = 4 });
        using var client = api.CreateHttpClient();
        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={api.ResourceVersion}");
        // Far more changes than the queue holds, without reading: the double ends this watch instead of buffering.
        for (var i = 0; i < 2000; i++)
            api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"cm-{i}" } });
        var frames = await watch.ReadToEndAsync();
        Assert.InRange(frames.Count, 1, 1999);
        Assert.All(frames, f => Assert.Equal("ADDED", WatchStream.Type(f)));
    }
}

internal static class PodJsonExtensions
{
    /// <summary>Sets metadata.namespace (test shorthand).</summary>
    public static JsonObject Also(this JsonObject obj, string @namespace)
    {
        obj["metadata"]!["namespace"] = @namespace;
        return obj;
    }
}
