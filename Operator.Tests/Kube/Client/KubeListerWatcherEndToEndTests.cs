using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>The watch loop over this client over HTTPS: the paged LIST of pods-03, then the watch stream of watch-01.</summary>
public sealed class KubeListerWatcherEndToEndTests : CannedServerTest
{
    [Fact]
    public async Task Watcher_lists_all_pages_then_streams_events_through_the_client()
    {
        foreach (var page in Transcript.Load("pods-03-list-paging.txt")) Server.Respond(page);
        // Random() = 0 makes the watcher ask for exactly MinWatchTimeout (300 s), so the request path is known.
        Server.Respond("GET", "/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion=258&timeoutSeconds=300",
            Transcript.Exchange("watch-01-namespace-bookmarks.txt", 2).Response);
        using var client = Client();
        var source = new KubeListerWatcher<Pod>(client, KubeResource.Pods, "secops", KubeJsonContext.Default.Pod, KubeJsonContext.Default.KubeListPod);
        var watcher = new Watcher<Pod>(source, new WatcherOptions { PageSize = 2, Random = () => 0 }, NullWatchObserver.Instance);

        using var stop = new CancellationTokenSource();
        var seen = new List<WatchNotification<Pod>>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var notification in watcher.RunAsync(stop.Token))
            {
                seen.Add(notification);
                if (seen.Count == 9) stop.Cancel(); // the list, then the 8 events of watch-01 (bookmarks are not emitted)
            }
        });

        var restarted = Assert.IsType<WatchNotification<Pod>.Restarted>(seen[0]);
        Assert.Equal(["db-3", "db-4", "web-0", "web-1", "web-2"], restarted.Objects.Select(p => p.Metadata.Name));
        Assert.Equal("258", restarted.ResourceVersion);
        Assert.Equal(["301", "302", "303", "305", "306", "307", "308", "309"], seen.Skip(1).Select(n => n.ResourceVersion));
        Assert.IsType<WatchNotification<Pod>.Deleted>(seen[5]);
        Assert.Equal("watch-demo", ((WatchNotification<Pod>.Deleted)seen[5]).Object.Metadata.Name);
    }
}
