using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Tests.Kube.Watch;
using static SecurityOperator.Tests.Kube.Watch.ScriptedStream;

namespace SecurityOperator.Tests.Kube.Informers;

public class SharedInformerTests
{
    private static TestObject Obj(string name, string rv, string ns = "ns", string? app = null) =>
        TestObject.Create(name, rv, ns, labels: app is null ? null : new Dictionary<string, string> { ["app"] = app });

    private static SharedInformerOptions Options(TimeProvider? time = null, TimeSpan? resync = null, int pageSize = 500) => new()
    {
        Watcher = WatchTestKit.FastOptions(pageSize) with { TimeProvider = time ?? TimeProvider.System },
        ResyncPeriod = resync,
        Metrics = new MetricsRegistry(),
    };

    /// <summary>Runs an informer for the duration of a test.</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = WatchTestKit.Guard();
        private readonly Task _run;

        public Running(SharedInformer<TestObject> informer)
        {
            Informer = informer;
            _run = Task.Run(() => informer.RunAsync(_cts.Token));
        }

        public SharedInformer<TestObject> Informer { get; }
        public CancellationToken Token => _cts.Token;

        public async ValueTask DisposeAsync()
        {
            _cts.Cancel();
            await _run;   // RunAsync returns normally on cancellation
            _cts.Dispose();
        }
    }

    [Fact]
    public async Task Syncs_10000_objects_over_20_pages_and_serves_them_from_the_cache()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(Enumerable.Range(0, 10_000).Select(i => Obj($"o-{i:D5}", (100 + i).ToString(), ns: $"ns-{i % 10}")), "20000");
        var informer = new SharedInformer<TestObject>(server, Options());
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);
        Assert.False(informer.HasSynced);

        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);

        Assert.True(informer.HasSynced);
        Assert.Equal(20, server.ListRequests.Count);
        Assert.Equal(10_000, informer.List().Count);
        Assert.Equal(10_000, handler.Calls.Count(c => c.StartsWith("add ")));
        Assert.Equal("4342", informer.Get("ns-2/o-04242")!.Metadata.ResourceVersion);
        Assert.Equal("4342", informer.Get("ns-2", "o-04242")!.Metadata.ResourceVersion);
        Assert.Null(informer.Get("ns-3/o-04242"));
        Assert.Equal(1_000, informer.ByIndex(SharedInformer<TestObject>.NamespaceIndex, "ns-7").Count);
        Assert.Equal("20000", informer.LastSyncResourceVersion);
    }

    [Fact]
    public async Task Watch_events_reach_handlers_in_order_with_old_and_new_state()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5") }, "10");
        server.EnqueueWatch(Ending.Hang,
            Frames.Added(Obj("b", "11")),
            Frames.Modified(Obj("a", "12")),
            Frames.Modified(Obj("a", "12")),       // same RV again: not an update
            Frames.Deleted(Obj("b", "13")),
            Frames.Bookmark("14"),
            Frames.Modified(Obj("a", "15")));
        var informer = new SharedInformer<TestObject>(server, Options());
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await handler.WaitForAsync(5, run.Token);

        Assert.Equal(new[] { "add a 5", "add b 11", "update a 5->12", "delete b 13", "update a 12->15" }, handler.Calls);
        Assert.Equal(new[] { "ns/a" }, informer.List().Select(ObjectKey.Of));
        Assert.Equal(1, handler.MaxConcurrent);
    }

    [Fact]
    public async Task A_relist_after_410_surfaces_adds_updates_and_the_missing_objects_as_deletions()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5"), Obj("b", "6"), Obj("c", "7") }, "10");
        server.EnqueueWatch(() =>
        {
            // While the watch was away, b changed, c was deleted and d created; the server compacted past our RV.
            server.SetObjects(new[] { Obj("a", "5"), Obj("b", "19"), Obj("d", "20") }, "30");
            return Lines(new[] { Frames.Bookmark("11"), Frames.Gone("11") }, Ending.EndOfStream);
        });
        var informer = new SharedInformer<TestObject>(server, Options());
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await handler.WaitForAsync(6, run.Token);

        Assert.Equal(new[] { "add a 5", "add b 6", "add c 7", "update b 6->19", "add d 20", "delete c 7" }, handler.Calls);
        Assert.Equal(new[] { "ns/a", "ns/b", "ns/d" }, informer.List().Select(ObjectKey.Of).Order());
        Assert.Null(informer.Get("ns/c"));
    }

    [Fact]
    public async Task Replays_the_recorded_label_selector_watch_objects_leaving_the_selector_leave_the_cache()
    {
        // watch-05: LIST with labelSelector security.io/quarantine=true returns web-1 (rv 473) at list RV 478; the watch
        // then shows web-0 starting to match (ADDED), changing (MODIFIED), and web-1 stopping to match (DELETED).
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("web-1", "473", ns: "secops") }, "478");
        server.EnqueueWatch(Ending.EndOfStream, TranscriptFrames.Of("watch-05-label-selector-transitions.txt", 2).ToArray());
        var informer = new SharedInformer<TestObject>(s => s.LabelSelector == "security.io/quarantine=true" ? server : throw new ArgumentException("selector not passed"),
            Options() with { Selectors = new ListWatchSelectors("security.io/quarantine=true") });
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await handler.WaitForAsync(4, run.Token);
        Assert.Equal(new[] { "add web-1 473", "add web-0 479", "update web-0 479->480", "delete web-1 481" }, handler.Calls);
        Assert.Equal(new[] { "secops/web-0" }, informer.List().Select(ObjectKey.Of));
        Assert.Equal("481", (await server.WaitForWatchRequestAsync(2, run.Token)).ResourceVersion);
    }

    [Fact]
    public async Task Indexes_follow_adds_updates_and_deletes()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5", app: "web"), Obj("b", "6", app: "db"), Obj("c", "7", ns: "other", app: "web") }, "10");
        server.EnqueueWatch(Ending.Hang, Frames.Modified(Obj("b", "11", app: "web")), Frames.Deleted(Obj("a", "12", app: "web")));
        var informer = new SharedInformer<TestObject>(server, Options());
        informer.AddIndex("app", o => o.Metadata.Labels?.TryGetValue("app", out var app) == true ? [app] : []);
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);
        await handler.WaitForAsync(5, run.Token);

        Assert.Equal(new[] { "b", "c" }, informer.ByIndex("app", "web").Select(o => o.Metadata.Name!).Order());
        Assert.Empty(informer.ByIndex("app", "db"));
        Assert.Equal(new[] { "c" }, informer.ByIndex(SharedInformer<TestObject>.NamespaceIndex, "other").Select(o => o.Metadata.Name));
        // An index added after the sync indexes what is already cached.
        informer.AddIndex("name-length", o => [o.Metadata.Name!.Length.ToString()]);
        Assert.Equal(2, informer.ByIndex("name-length", "1").Count);
        var unknown = Assert.Throws<ArgumentException>(() => informer.ByIndex("nope", "x"));
        Assert.Contains("no index named 'nope'", unknown.Message);
    }

    [Fact]
    public async Task Resync_redelivers_every_cached_object_as_an_update()
    {
        var clock = new ManualTimeProvider();
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5"), Obj("b", "6") }, "10");
        var informer = new SharedInformer<TestObject>(server, Options(clock, resync: TimeSpan.FromMinutes(10)));
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);
        Assert.Equal(2, handler.Calls.Count);

        clock.Advance(TimeSpan.FromMinutes(10));
        await handler.WaitForAsync(4, run.Token);
        Assert.Equal(new[] { "update a 5->5", "update b 6->6" }, handler.Calls.Skip(2).Order());
    }

    [Fact]
    public async Task Resyncs_interleave_with_events_without_ever_running_handlers_concurrently()
    {
        var clock = new ManualTimeProvider();
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "10"), Obj("b", "10") }, "10");
        const int events = 400;
        server.EnqueueWatch(Ending.Hang, Enumerable.Range(11, events).Select(rv => Frames.Modified(Obj("a", rv.ToString()))).ToArray());
        var informer = new SharedInformer<TestObject>(server, Options(clock, resync: TimeSpan.FromSeconds(1)));
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        await handler.WaitForCallAsync($"update a {10 + events - 1}->{10 + events}", run.Token);

        Assert.Equal(1, handler.MaxConcurrent);
        var changes = handler.Calls.Where(c => c.StartsWith("update a ") && !c.EndsWith("->" + c.Split(' ')[2].Split("->")[0])).ToList();
        Assert.Equal(Enumerable.Range(11, events).Select(rv => $"update a {rv - 1}->{rv}"), changes);
    }

    [Fact]
    public async Task A_handler_added_after_sync_first_gets_the_cached_objects_as_adds()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5"), Obj("b", "6") }, "10");
        var informer = new SharedInformer<TestObject>(server, Options());
        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);

        var late = new RecordingHandler();
        using (informer.AddEventHandler(late))
            Assert.Equal(new[] { "add a 5", "add b 6" }, late.Calls.Order());
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_the_others_or_the_informer()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5") }, "10");
        server.EnqueueWatch(Ending.Hang, Frames.Added(Obj("b", "11")));
        var options = Options();
        var informer = new SharedInformer<TestObject>(server, options);
        informer.AddEventHandler(new ResourceEventHandler<TestObject>(onAdd: _ => throw new InvalidOperationException("boom")));
        var handler = new RecordingHandler();
        informer.AddEventHandler(handler);

        await using var run = new Running(informer);
        await handler.WaitForAsync(2, run.Token);
        Assert.Equal(new[] { "add a 5", "add b 11" }, handler.Calls);
        Assert.Contains("security_operator_informer_handler_errors_total{resource=\"tests\"} 2", options.Metrics.Render());
    }

    [Fact]
    public async Task Registering_a_handler_from_inside_a_handler_is_refused_instead_of_deadlocking()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(new[] { Obj("a", "5") }, "10");
        var informer = new SharedInformer<TestObject>(server, Options());
        Exception? refused = null;
        informer.AddEventHandler(new ResourceEventHandler<TestObject>(onAdd: _ =>
        {
            try { informer.AddEventHandler(new RecordingHandler()); }
            catch (InvalidOperationException e) { refused = e; }
        }));

        await using var run = new Running(informer);
        await informer.WaitForSyncAsync(run.Token);
        Assert.Contains("from inside an event handler", refused?.Message);
    }

    [Fact]
    public void Selectors_are_passed_to_the_lister_factory()
    {
        ListWatchSelectors? seen = null;
        var options = Options() with { Selectors = new ListWatchSelectors("security.io/quarantine=true", "spec.nodeName=") };
        _ = new SharedInformer<TestObject>(s => { seen = s; return new FakeListerWatcher(); }, options);
        Assert.Equal(new ListWatchSelectors("security.io/quarantine=true", "spec.nodeName="), seen);
    }

    [Fact]
    public void Object_keys_are_namespace_slash_name_or_just_name()
    {
        Assert.Equal("ns/a", ObjectKey.Of(Obj("a", "1")));
        Assert.Equal("node-a", ObjectKey.Of(TestObject.Create("node-a", "1", ns: null)));
        Assert.Equal(("ns", "a"), ObjectKey.Split("ns/a"));
        Assert.Equal(((string?)null, "node-a"), ObjectKey.Split("node-a"));
        Assert.Throws<ArgumentException>(() => ObjectKey.Of(new TestObject()));
    }
}
