using System.Net;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>watch-03 REQUEST 2-4: LIST paths that read an old snapshot get a real HTTP 410.</summary>
public sealed class ListExpiryTests
{
    [Fact]
    public async Task Expired_continue_token_is_410_with_an_inconsistent_continuation_that_works()
    {
        await using var api = await ApiServerDouble.StartAsync();
        foreach (var name in new[] { "db-3", "db-4", "web-0", "web-1", "web-2" })
            api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "secops" } });
        using var client = api.CreateHttpClient();
        var page1 = JsonNode.Parse(await client.GetStringAsync("/api/v1/namespaces/secops/configmaps?limit=2"))!;
        var token = page1["metadata"]!["continue"]!.GetValue<string>();
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "late", ["namespace"] = "secops" } });
        api.CompactBefore(api.ResourceVersion);

        var recorded = TranscriptDirectory.Load("watch-03-410-gone-after-compaction.txt");
        var expired = await client.GetAsync($"/api/v1/namespaces/secops/configmaps?limit=2&continue={token}");
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        var status = JsonNode.Parse(await expired.Content.ReadAsStringAsync())!;
        var want = recorded.Find("continue token saved before").Response.Json!;
        foreach (var field in new[] { "kind", "status", "message", "reason", "code" })
            Assert.True(JsonNode.DeepEquals(want[field], status[field]), field);
        var inconsistent = status["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal("{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"db-4\\u0000\"}", ContinueToken.DecodeToText(inconsistent));

        // Following it lists the remainder from the current state (the object created since shows up).
        var rest = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/secops/configmaps?limit=10&continue={inconsistent}"))!;
        Assert.Equal(["late", "web-0", "web-1", "web-2"], rest["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(api.ResourceVersion.ToString(), rest["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exact_list_at_a_compacted_rv_is_410_and_at_a_kept_rv_is_that_snapshot()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "a" } });
        var old = api.ResourceVersion;
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "b" } });
        var kept = api.ResourceVersion;
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" } });
        api.Delete(ResourceCatalog.ConfigMaps, "default", "a");
        api.CompactBefore(kept);

        var gone = await client.GetAsync($"/api/v1/namespaces/default/configmaps?resourceVersion={old}&resourceVersionMatch=Exact");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var recorded = TranscriptDirectory.Load("watch-03-410-gone-after-compaction.txt").Find("exact, compacted").Response.Json!;
        Assert.True(JsonNode.DeepEquals(recorded, JsonNode.Parse(await gone.Content.ReadAsStringAsync())));

        // The snapshot at the compaction point still has "a" (deleted later) and not "c" (created later).
        var snapshot = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/default/configmaps?resourceVersion={kept}&resourceVersionMatch=Exact"))!;
        Assert.Equal(["a", "b"], snapshot["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Pages_of_one_list_read_one_snapshot_while_writes_happen()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        foreach (var name in new[] { "a", "b", "c", "d" })
            api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        var page1 = JsonNode.Parse(await client.GetStringAsync("/api/v1/namespaces/default/configmaps?limit=2"))!;
        Assert.Equal(2, page1["metadata"]!["remainingItemCount"]!.GetValue<int>());
        api.Delete(ResourceCatalog.ConfigMaps, "default", "d");
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bb" } });
        var page2 = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/default/configmaps?limit=2&continue={page1["metadata"]!["continue"]}"))!;
        Assert.Equal(["c", "d"], page2["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(page1["metadata"]!["resourceVersion"]!.GetValue<string>(), page2["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Null(page2["metadata"]!["continue"]);
    }
}
