using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

public class WatchMetricsTests
{
    [Fact]
    public async Task A_relist_after_410_shows_in_the_prometheus_series()
    {
        var registry = new MetricsRegistry();
        var server = new FakeListerWatcher();
        server.SetObjects(Array.Empty<TestObject>(), "10");
        server.EnqueueWatch(ScriptedStream.Ending.EndOfStream, Frames.Added(TestObject.Create("a", "11")), Frames.Bookmark("12"), Frames.Gone("12"));
        var options = WatchTestKit.FastOptions() with { ResourceName = "pods" };
        var watcher = new Watcher<TestObject>(server, options, new WatchMetrics(registry, "pods"));
        using var cts = WatchTestKit.Guard();
        await using var run = watcher.RunAsync(cts.Token).GetAsyncEnumerator();
        await WatchTestKit.TakeAsync(run, 3);   // Restarted, Applied, Restarted

        var text = registry.Render();
        Assert.Contains("security_operator_watch_relists_total{resource=\"pods\",reason=\"initial\"} 1", text);
        Assert.Contains("security_operator_watch_relists_total{resource=\"pods\",reason=\"gone\"} 1", text);
        Assert.Contains("security_operator_watch_restarts_total{resource=\"pods\",reason=\"after-list\"} 1", text);
        Assert.Contains("security_operator_watch_events_total{resource=\"pods\",type=\"ADDED\"} 1", text);
        Assert.Contains("security_operator_watch_events_total{resource=\"pods\",type=\"BOOKMARK\"} 1", text);
        Assert.Contains("security_operator_watch_events_total{resource=\"pods\",type=\"ERROR\"} 1", text);
    }
}
