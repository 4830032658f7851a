using System.Text;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>The lister/watcher adapter: the LIST and WATCH requests it makes, and the stream it hands over.</summary>
public sealed class KubeWatchTests : CannedServerTest
{
    private KubeListerWatcher<Pod> Pods(KubeClient client, string? ns = "secops", string? labels = null, string? fields = null) =>
        new(client, KubeResource.Pods, ns, KubeJsonContext.Default.Pod, KubeJsonContext.Default.KubeListPod, labels, fields);

    [Fact]
    public async Task Watch_request_carries_bookmarks_version_timeout_and_selectors_and_streams_the_frames()
    {
        var watch = Transcript.Exchange("watch-01-namespace-bookmarks.txt", 2);
        const string path = "/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion=300&timeoutSeconds=90&labelSelector=app%3Dwatch-demo&fieldSelector=spec.nodeName%3Dnode-a";
        Server.Respond("GET", path, watch.Response);
        var verbs = new List<string>();
        using var client = Client(new KubeClientOptions { OnRequestCompleted = (verb, _, _) => verbs.Add(verb) });

        await using var stream = await Pods(client, labels: "app=watch-demo", fields: "spec.nodeName=node-a").WatchAsync("300", TimeSpan.FromSeconds(90), default);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var frames = new List<string>();
        while (await reader.ReadLineAsync() is { } line) frames.Add(line);

        Assert.Equal(path, Server.Single().PathAndQuery);
        Assert.Equal(10, frames.Count);
        Assert.StartsWith("{\"type\":\"ADDED\"", frames[0]);
        Assert.StartsWith("{\"type\":\"BOOKMARK\"", frames[^1]);
        Assert.Equal(["watch"], verbs);
    }

    [Fact]
    public async Task Cluster_wide_watch_uses_the_all_namespaces_path()
    {
        Server.Respond("GET", "/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=2",
            new CannedResponse(200, [new("Content-Type", "application/json")], []));
        using var client = Client();
        await using var stream = await Pods(client, ns: null).WatchAsync("5", TimeSpan.FromSeconds(1.5), default);
        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public async Task Watch_answered_with_http_410_throws_gone()
    {
        var expired = Transcript.Exchange("watch-03-410-gone-after-compaction.txt", 3).Response;
        Server.Respond("GET", "/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion=258&timeoutSeconds=60", expired);
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeGoneException>(() => Pods(client).WatchAsync("258", TimeSpan.FromMinutes(1), default));
        Assert.True(e.IsGone);
    }

    [Fact]
    public void Watch_error_event_status_decodes_to_gone()
    {
        // The usual 410 arrives inside the 200 stream as an ERROR event whose object is a Status (watch-03 request 6).
        var frame = Transcript.Exchange("watch-03-410-gone-after-compaction.txt", 6).Response.Body;
        var line = Encoding.UTF8.GetString(frame).Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains("\"ERROR\""));
        using var document = System.Text.Json.JsonDocument.Parse(line);
        var status = System.Text.Json.JsonSerializer.Deserialize(document.RootElement.GetProperty("object"), KubeJsonContext.Default.Status)!;
        var e = KubeApiErrorDecoder.FromStatus(status, "watch pods");
        Assert.IsType<KubeGoneException>(e);
        Assert.Equal("Expired", e.Reason);
    }

    [Fact]
    public async Task List_page_sends_limit_continue_and_selectors()
    {
        var page2 = Transcript.Exchange("pods-03-list-paging.txt", 2);
        var token = page2.PathAndQuery.Split("continue=")[1];
        Server.Respond("GET", $"/api/v1/namespaces/secops/pods?labelSelector=app%3Dweb&limit=2&continue={token}", page2.Response);
        using var client = Client();
        var list = await Pods(client, labels: "app=web").ListAsync(token, 2, default);
        Assert.Equal(2, list.Items.Count);
        Assert.Equal("258", list.Metadata.ResourceVersion);
    }

    [Fact]
    public void Deserialize_reads_event_objects_including_bookmark_skeletons()
    {
        using var client = Client();
        var bookmark = Pods(client).Deserialize("""{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"309","creationTimestamp":null},"spec":{"containers":null},"status":{}}"""u8);
        Assert.Equal("309", bookmark.Metadata.ResourceVersion);
        Assert.Null(bookmark.Metadata.CreationTimestamp);
        var e = Assert.Throws<KubeResponseFormatException>(() => Pods(client).Deserialize("""{"metadata":[]}"""u8));
        Assert.Contains("not a valid Pod", e.Message);
    }
}
