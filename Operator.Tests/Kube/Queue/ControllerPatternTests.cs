using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Queue;
using SecurityOperator.Tests.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Queue;

/// <summary>The way controllers combine the pieces: informer handlers enqueue keys, workers reconcile from the cache.</summary>
public class ControllerPatternTests
{
    [Fact]
    public async Task Workers_reconcile_the_latest_cached_state_of_every_changed_key()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { TestObject.Create("a", "5"), TestObject.Create("b", "6") }, "10");
        server.EnqueueWatch(ScriptedStream.Ending.Hang,
            Frames.Modified(TestObject.Create("a", "11")),
            Frames.Modified(TestObject.Create("a", "12")),
            Frames.Added(TestObject.Create("c", "13")),
            Frames.Deleted(TestObject.Create("b", "14")));
        var metrics = new MetricsRegistry();
        var informer = new SharedInformer<TestObject>(server, new SharedInformerOptions { Watcher = WatchTestKit.FastOptions(), Metrics = metrics });
        var queue = new WorkQueue<string>(new WorkQueueOptions<string> { Name = "controller", Metrics = metrics });
        informer.AddEventHandler(new ResourceEventHandler<TestObject>(
            onAdd: o => queue.Add(ObjectKey.Of(o)),
            onUpdate: (_, o) => queue.Add(ObjectKey.Of(o)),
            onDelete: o => queue.Add(ObjectKey.Of(o))));

        var lastSeen = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = WatchTestKit.Guard();
        var run = Task.Run(() => informer.RunAsync(cts.Token));
        var workers = WorkQueueWorkers.RunAsync(queue, 3, (key, _) =>
        {
            // A reconciler reads the cache, never the event: it always acts on the newest state.
            lastSeen[key] = informer.Get(key)?.Metadata.ResourceVersion ?? "gone";
            if (lastSeen.GetValueOrDefault("ns/a") == "12" && lastSeen.GetValueOrDefault("ns/b") == "gone" && lastSeen.ContainsKey("ns/c"))
                allDone.TrySetResult();
            return Task.CompletedTask;
        }, cts.Token);

        await allDone.Task.WaitAsync(cts.Token);
        await queue.ShutDownWithDrainAsync();
        await workers;
        cts.Cancel();
        await run;

        Assert.Equal("12", lastSeen["ns/a"]);
        Assert.Equal("gone", lastSeen["ns/b"]);
        Assert.Equal("13", lastSeen["ns/c"]);
        Assert.All(server.OpenedStreams, s => Assert.True(s.IsDisposed));   // stopping closed the open watch
    }
}
