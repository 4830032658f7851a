using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Parallel writers against one double: every write gets its own revision, a watch sees them all in
/// increasing order, and optimistic concurrency lets exactly one of two stale writers win.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_writes_get_distinct_revisions_and_a_watch_sees_them_in_order()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var from = api.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(client, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={from}&timeoutSeconds=600");
        const int writers = 8, perWriter = 10;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var own = api.CreateHttpClient();
            for (var i = 0; i < perWriter; i++)
            {
                var response = await own.PostAsync("/api/v1/namespaces/default/configmaps",
                    new StringContent($"{{\"metadata\":{{\"name\":\"w{w}-{i}\"}}}}", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        })));
        var frames = await watch.NextEventsAsync(writers * perWriter);
        var versions = frames.Select(f => long.Parse(WatchStream.ResourceVersion(f))).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(writers * perWriter, api.List(ResourceCatalog.ConfigMaps, "default").Count);
    }

    [Fact]
    public async Task Two_writers_with_the_same_resource_version_one_wins_one_conflicts()
    {
        await using var api = await ApiServerDouble.StartAsync();
        var seeded = api.Seed(ResourceCatalog.Leases, JsonNode.Parse("""{"metadata":{"name":"leader"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15}}""")!.AsObject());
        var codes = await Task.WhenAll(new[] { "b", "c" }.Select(async holder =>
        {
            using var client = api.CreateHttpClient();
            var body = $"{{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{{\"name\":\"leader\",\"resourceVersion\":\"{seeded.ResourceVersion}\"}},\"spec\":{{\"holderIdentity\":\"{holder}\",\"leaseDurationSeconds\":15}}}}";
            var response = await client.PutAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases/leader", new StringContent(body, Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes.Order());
    }
}
