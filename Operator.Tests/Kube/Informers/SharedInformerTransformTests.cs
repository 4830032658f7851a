using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Tests.Kube.Watch;
using static SecurityOperator.Tests.Kube.Watch.ScriptedStream;

namespace SecurityOperator.Tests.Kube.Informers;

public class SharedInformerTransformTests
{
    private static TestObject Obj(string name, string rv, string data) => TestObject.Create(name, rv, "ns", data);

    private static SharedInformerOptions Options() => new() { Watcher = WatchTestKit.FastOptions(2), Metrics = new MetricsRegistry() };

    [Fact]
    public async Task Objects_from_every_list_page_and_watch_event_are_transformed_before_the_cache_and_the_handlers_see_them()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5", "big-a"), Obj("b", "6", "big-b"), Obj("c", "7", "big-c") }, "10");
        server.EnqueueWatch(Ending.Hang, Frames.Added(Obj("d", "11", "big-d")), Frames.Modified(Obj("a", "12", "big-a2")), Frames.Deleted(Obj("b", "13", "big-b")));
        var informer = new SharedInformer<TestObject>(server, Options());
        var seen = new List<string>();
        informer.SetTransform(o =>
        {
            lock (seen) seen.Add($"{o.Metadata.Name} {o.Data}");
            o.Data = o.Data?.Replace("big-", "", StringComparison.Ordinal);
            return o;
        });
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        using var stop = WatchTestKit.Guard();
        var run = Task.Run(() => informer.RunAsync(stop.Token));

        await handler.WaitForAsync(6, stop.Token);

        Assert.Equal(2, server.ListRequests.Count); // two pages of two: the transform ran page by page
        Assert.Equal(new[] { "a a2", "c c", "d d" }, informer.List().OrderBy(o => o.Metadata.Name).Select(o => $"{o.Metadata.Name} {o.Data}"));
        Assert.Equal(new[] { "a big-a", "b big-b", "c big-c", "d big-d", "a big-a2", "b big-b" }, seen.Take(6));
        Assert.Equal("a2", informer.Get("ns/a")!.Data);
        await stop.CancelAsync();
        await run;
        Assert.Throws<InvalidOperationException>(() => informer.SetTransform(o => o));
    }
}
