using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Watch;
using static SecurityOperator.Tests.Kube.Watch.ScriptedStream;
using N = SecurityOperator.Kube.Watch.WatchNotification<SecurityOperator.Tests.Kube.Watch.TestObject>;

namespace SecurityOperator.Tests.Kube.Watch;

public class WatcherTests
{
    private static TestObject Obj(string name, string rv, string? data = null) => TestObject.Create(name, rv, data: data);

    [Fact]
    public async Task Initial_sync_of_10000_objects_pages_with_continue_tokens_and_watches_from_the_snapshot_rv()
    {
        await using var h = new WatchHarness(WatchTestKit.FastOptions(pageSize: 500));
        h.Server.SetObjects(Enumerable.Range(0, 10_000).Select(i => Obj($"o-{i:D5}", (100 + i).ToString())), "20000");
        h.Start();

        var restarted = Assert.IsType<N.Restarted>((await h.NextAsync(1))[0]);
        Assert.Equal(10_000, restarted.Objects.Count);
        Assert.Equal("20000", restarted.ResourceVersion);
        Assert.Equal(10_000, restarted.Objects.Select(o => o.Metadata.Name).Distinct().Count());

        var first = await h.WatchRequestAsync(1);
        Assert.Equal("20000", first.ResourceVersion);
        var lists = h.Server.ListRequests.ToList();
        Assert.Equal(20, lists.Count);
        Assert.Null(lists[0].ContinueToken);
        Assert.All(lists.Skip(1), l => Assert.NotNull(l.ContinueToken));
        Assert.All(lists, l => Assert.Equal(500, l.Limit));
        Assert.Equal(new[] { "initial" }, h.Observer.Relists);
    }

    [Fact]
    public async Task Events_are_delivered_in_order_and_advance_the_resource_version()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(new[] { Obj("a", "5") }, "10");
        h.Server.EnqueueWatch(Ending.Hang, Frames.Added(Obj("b", "11")), Frames.Modified(Obj("a", "12", "x")), Frames.Deleted(Obj("b", "13")));
        h.Start();

        var got = await h.NextAsync(4);
        Assert.IsType<N.Restarted>(got[0]);
        var added = Assert.IsType<N.Applied>(got[1]);
        Assert.Equal(("b", WatchEventType.Added, "11"), (added.Object.Metadata.Name, added.EventType, added.ResourceVersion));
        var modified = Assert.IsType<N.Applied>(got[2]);
        Assert.Equal(("a", WatchEventType.Modified, "x"), (modified.Object.Metadata.Name, modified.EventType, modified.Object.Data));
        var deleted = Assert.IsType<N.Deleted>(got[3]);
        Assert.Equal(("b", "13"), (deleted.Object.Metadata.Name, deleted.ResourceVersion));
        Assert.Equal("13", h.Watcher.ResourceVersion);
    }

    [Fact]
    public async Task Normal_end_of_stream_rewatches_from_the_last_rv_without_backoff()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Added(Obj("a", "11")), Frames.Modified(Obj("a", "12")));
        h.Start();

        await h.NextAsync(3);
        var second = await h.WatchRequestAsync(2);
        Assert.Equal("12", second.ResourceVersion);
        Assert.Empty(h.Observer.Backoffs);
        Assert.Equal(new[] { "initial" }, h.Observer.Relists);
        Assert.Equal(new[] { ("10", "after-list"), ("12", "end-of-stream") }, h.Observer.Watches.Take(2));
    }

    [Fact]
    public async Task Bookmarks_advance_the_rv_without_notifications()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Added(Obj("a", "11")), Frames.Bookmark("15"), Frames.Bookmark("19"));
        h.Server.EnqueueWatch(Ending.Hang, Frames.Modified(Obj("a", "20")));
        h.Start();

        var got = await h.NextAsync(3);
        Assert.IsType<N.Restarted>(got[0]);
        Assert.Equal("11", Assert.IsType<N.Applied>(got[1]).ResourceVersion);
        // The next notification after the bookmarks is the MODIFIED of the second stream: the bookmarks produced none.
        Assert.Equal("20", Assert.IsType<N.Applied>(got[2]).ResourceVersion);
        Assert.Equal("19", (await h.WatchRequestAsync(2)).ResourceVersion);
        Assert.Equal(2, h.Observer.Events.Count(e => e == WatchEventType.Bookmark));
    }

    [Fact]
    public async Task Error_410_inside_a_200_stream_relists_from_scratch()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(new[] { Obj("a", "5"), Obj("b", "6") }, "10");
        h.Server.EnqueueWatch(() =>
        {
            // Between the two lists the server drops "b"; the relist must show the new set.
            h.Server.SetObjects(new[] { Obj("a", "5"), Obj("c", "30") }, "40");
            return Lines(new[] { Frames.Added(Obj("c", "30")), Frames.Gone("30") }, Ending.EndOfStream);
        });
        h.Start();

        var got = await h.NextAsync(3);
        Assert.Equal(new[] { "a", "b" }, Assert.IsType<N.Restarted>(got[0]).Objects.Select(o => o.Metadata.Name));
        Assert.IsType<N.Applied>(got[1]);
        var relist = Assert.IsType<N.Restarted>(got[2]);
        Assert.Equal(new[] { "a", "c" }, relist.Objects.Select(o => o.Metadata.Name));
        Assert.Equal("40", relist.ResourceVersion);
        Assert.Equal(new[] { "initial", "gone" }, h.Observer.Relists);
        Assert.Equal("40", (await h.WatchRequestAsync(2)).ResourceVersion);
        // The RV was no longer fresh from a list (a frame had arrived), so the relist was immediate.
        Assert.Empty(h.Observer.Backoffs);
    }

    [Fact]
    public async Task Http_410_on_opening_the_watch_relists()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(new[] { Obj("a", "5") }, "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Added(Obj("b", "11")));
        h.Server.EnqueueWatchFailure(new KubeApiException(410, "Expired", "too old resource version: 11 (342)"));
        h.Start();

        var got = await h.NextAsync(3);
        Assert.IsType<N.Restarted>(got[0]);
        Assert.IsType<N.Applied>(got[1]);
        Assert.IsType<N.Restarted>(got[2]);
        Assert.Equal(new[] { "initial", "gone" }, h.Observer.Relists);
    }

    [Fact]
    public async Task A_410_for_an_rv_fresh_from_a_list_backs_off_before_relisting()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(new[] { Obj("a", "5") }, "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Gone("10"));
        h.Start();

        var got = await h.NextAsync(2);
        Assert.All(got, n => Assert.IsType<N.Restarted>(n));
        Assert.Equal(new[] { "initial", "gone" }, h.Observer.Relists);
        var cause = Assert.IsType<KubeApiException>(Assert.Single(h.Observer.Backoffs));
        Assert.True(cause.IsGone);
    }

    [Fact]
    public async Task A_failed_first_page_backs_off_and_lists_again()
    {
        await using var h = new WatchHarness(WatchTestKit.FastOptions(pageSize: 2));
        h.Server.SetObjects(Enumerable.Range(0, 5).Select(i => Obj($"o{i}", "1")), "10");
        h.Server.FailNextList(new KubeApiException(500, "InternalError", "etcd hiccup"));  // first page: backoff, retry
        h.Start();
        await h.NextAsync(1);

        var calls = h.Server.ListRequests.Select(l => l.ContinueToken).ToList();
        Assert.Equal(new string?[] { null, null, "1:2", "1:4" }, calls);
        Assert.Single(h.Observer.Backoffs);
    }

    [Fact]
    public async Task Gone_continue_token_mid_list_lists_again_from_scratch()
    {
        await using var h = new WatchHarness(WatchTestKit.FastOptions(pageSize: 2));
        h.Server.SetObjects(Enumerable.Range(0, 5).Select(i => Obj($"o{i}", "1")), "10");
        var server = h.Server;
        // Let the first page through, then expire the token (watch-03 REQUEST 2).
        var watcher = new Watcher<TestObject>(new ExpireSecondPage(server), WatchTestKit.FastOptions(pageSize: 2), h.Observer);
        using var cts = WatchTestKit.Guard();
        await using var run = watcher.RunAsync(cts.Token).GetAsyncEnumerator();
        Assert.True(await run.MoveNextAsync());

        var restarted = Assert.IsType<N.Restarted>(run.Current);
        Assert.Equal(5, restarted.Objects.Count);
        Assert.Equal(new string?[] { null, "1:2", null, "2:2", "2:4" }, server.ListRequests.Select(l => l.ContinueToken));
        Assert.Equal(new[] { "initial", "gone" }, h.Observer.Relists);
    }

    /// <summary>Fails the first continued page with 410 once, as an apiserver does after compaction.</summary>
    private sealed class ExpireSecondPage(FakeListerWatcher inner) : IListerWatcher<TestObject>
    {
        private int _expired;

        public Task<SecurityOperator.Kube.Models.KubeList<TestObject>> ListAsync(string? continueToken, int limit, CancellationToken ct)
        {
            if (continueToken is not null && Interlocked.Exchange(ref _expired, 1) == 0)
            {
                inner.ListRequests.Enqueue(new FakeListerWatcher.ListRequest(continueToken, limit));
                throw new KubeApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
            }
            return inner.ListAsync(continueToken, limit, ct);
        }

        public Task<Stream> WatchAsync(string rv, TimeSpan timeout, CancellationToken ct) => inner.WatchAsync(rv, timeout, ct);
        public TestObject Deserialize(ReadOnlySpan<byte> json) => inner.Deserialize(json);
    }

    [Fact]
    public async Task Connection_reset_mid_stream_backs_off_and_resumes_from_the_last_rv()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        // The reset cuts the third frame in half: only complete frames count.
        var partial = Frames.Modified(Obj("a", "13"));
        h.Server.EnqueueWatch(() => new ScriptedStream(System.Text.Encoding.UTF8.GetBytes(
            Frames.Added(Obj("a", "11")) + "\n" + Frames.Modified(Obj("a", "12")) + "\n" + partial[..(partial.Length / 2)]), Ending.Reset));
        h.Server.EnqueueWatch(Ending.Hang, Frames.Modified(Obj("a", "13")));
        h.Start();

        var got = await h.NextAsync(4);
        Assert.Equal(new[] { "10", "11", "12", "13" }, got.Select(n => n.ResourceVersion));
        Assert.Equal("12", (await h.WatchRequestAsync(2)).ResourceVersion);
        Assert.IsType<IOException>(Assert.Single(h.Observer.Backoffs));
        Assert.Equal(new[] { "initial" }, h.Observer.Relists);
    }

    [Fact]
    public async Task Error_event_with_another_code_backs_off_and_rewatches_without_relisting()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Added(Obj("a", "11")), Frames.Error(500, "InternalError"));
        h.Start();

        await h.NextAsync(2);
        Assert.Equal("11", (await h.WatchRequestAsync(2)).ResourceVersion);
        Assert.Equal(500, Assert.IsType<KubeApiException>(Assert.Single(h.Observer.Backoffs)).Code);
        Assert.Equal(new[] { "initial" }, h.Observer.Relists);
    }

    [Fact]
    public async Task Failure_to_open_a_watch_backs_off_and_retries_the_same_rv()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatchFailure(new HttpRequestException("Connection refused"));
        h.Server.EnqueueWatchFailure(new KubeApiException(403, "Forbidden", "pods is forbidden"));
        h.Start();

        await h.NextAsync(1);
        Assert.Equal("10", (await h.WatchRequestAsync(3)).ResourceVersion);
        Assert.Equal(2, h.Observer.Backoffs.Count);
        Assert.Equal(new[] { "initial" }, h.Observer.Relists);
    }

    [Fact]
    public async Task A_stream_that_ends_at_once_without_frames_is_treated_as_an_error()
    {
        // A clock that stands still: the stream's life is exactly zero, however loaded the machine is.
        var clock = new ManualTimeProvider();
        await using var h = new WatchHarness(WatchTestKit.FastOptions() with { TimeProvider = clock });
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.EndOfStream);
        h.Start();

        await h.NextAsync(1);
        await h.Observer.FirstBackoff.WaitAsync(TimeSpan.FromSeconds(60));
        while (clock.ActiveTimers == 0) await Task.Delay(1);   // the backoff wait has started
        clock.Advance(TimeSpan.FromSeconds(1));                // and now ends
        await h.WatchRequestAsync(2);
        Assert.Contains("very short watch", Assert.Single(h.Observer.Backoffs).Message);
    }

    [Fact]
    public async Task Watch_timeout_is_drawn_from_five_to_ten_minutes()
    {
        var random = new Queue<double>(new[] { 0.0, 0.999 });
        var options = WatchTestKit.FastOptions() with { Random = () => random.Count > 0 ? random.Dequeue() : 0.5 };
        await using var h = new WatchHarness(options);
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.EndOfStream, Frames.Bookmark("10"));
        h.Start();

        await h.NextAsync(1);
        Assert.Equal(TimeSpan.FromMinutes(5), (await h.WatchRequestAsync(1)).Timeout);
        var second = (await h.WatchRequestAsync(2)).Timeout;
        Assert.InRange(second, TimeSpan.FromSeconds(599), TimeSpan.FromSeconds(599.999));
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_relists_without_reading_the_whole_frame()
    {
        var options = WatchTestKit.FastOptions() with { MaxFrameBytes = 64 * 1024 };
        await using var h = new WatchHarness(options);
        h.Server.SetObjects(new[] { Obj("a", "5") }, "10");
        var huge = Frames.Added(Obj("big", "11", data: new string('x', 8 * 1024 * 1024)));
        ScriptedStream? body = null;
        h.Server.EnqueueWatch(() => body = Lines(new[] { huge }, Ending.EndOfStream, chunkSize: 16 * 1024));
        h.Start();

        var got = await h.NextAsync(2);
        Assert.All(got, n => Assert.IsType<N.Restarted>(n));
        Assert.Equal(new[] { "initial", "frame-too-large" }, h.Observer.Relists);
        Assert.NotNull(body);
        Assert.True(body!.BytesRead < 1024 * 1024, $"read {body.BytesRead} bytes of an 8 MiB frame");
    }

    [Fact]
    public async Task A_malformed_frame_backs_off_and_rewatches_from_the_last_good_rv()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        h.Server.EnqueueWatch(Ending.Hang, Frames.Added(Obj("a", "11")), "{\"type\":\"ADDED\",\"object\":{\"metadata\":");
        h.Start();

        await h.NextAsync(2);
        Assert.Equal("11", (await h.WatchRequestAsync(2)).ResourceVersion);
        Assert.IsType<WatchProtocolException>(Assert.Single(h.Observer.Backoffs));
        Assert.True(h.Server.OpenedStreams.First().IsDisposed);
    }

    [Fact]
    public async Task Frames_split_across_one_byte_reads_are_reassembled()
    {
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "10");
        var frames = Enumerable.Range(0, 20).Select(i => Frames.Added(Obj($"o{i}", (11 + i).ToString()))).ToArray();
        h.Server.EnqueueWatch(() => Lines(frames, Ending.Hang, chunkSize: 1));
        h.Start();

        var got = await h.NextAsync(21);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"o{i}"),
            got.Skip(1).Select(n => Assert.IsType<N.Applied>(n).Object.Metadata.Name));
    }

    [Fact]
    public async Task A_slow_consumer_gets_every_event_in_order()
    {
        var server = new FakeListerWatcher();
        server.SetObjects(Array.Empty<TestObject>(), "10");
        const int count = 3000;
        server.EnqueueWatch(Ending.Hang, Enumerable.Range(0, count).Select(i => Frames.Modified(Obj("a", (11 + i).ToString()))).ToArray());
        var watcher = new Watcher<TestObject>(server, WatchTestKit.FastOptions());
        using var cts = WatchTestKit.Guard();
        await using var run = watcher.RunAsync(cts.Token).GetAsyncEnumerator();

        var rvs = new List<string>();
        Assert.True(await run.MoveNextAsync());
        while (rvs.Count < count)
        {
            Assert.True(await run.MoveNextAsync());
            rvs.Add(run.Current.ResourceVersion);
            // The consumer yields its thread and works between events; the watcher waits for it, it does not drop.
            if (rvs.Count % 100 == 0) await Task.Delay(1);
            else await Task.Yield();
        }
        Assert.Equal(Enumerable.Range(0, count).Select(i => (11 + i).ToString()), rvs);
        Assert.Single(server.WatchRequests);
    }

    [Fact]
    public async Task Replays_the_recorded_namespace_watch_with_bookmarks_then_rewatches_from_the_bookmark_rv()
    {
        // watch-01: ADDED, MODIFIED x3, DELETED, ADDED, MODIFIED, DELETED, BOOKMARK x2 (rv 309), then the server ends it.
        var frames = TranscriptFrames.Of("watch-01-namespace-bookmarks.txt", 2);
        Assert.Equal(10, frames.Count);
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "300");
        h.Server.EnqueueWatch(Ending.EndOfStream, frames.ToArray());
        h.Start();

        var got = await h.NextAsync(9);
        Assert.Equal(new[] { "Restarted", "Applied", "Applied", "Applied", "Applied", "Deleted", "Applied", "Applied", "Deleted" },
            got.Select(n => n.GetType().Name));
        Assert.Equal(new[] { "300", "301", "302", "303", "305", "306", "307", "308", "309" }, got.Select(n => n.ResourceVersion));
        Assert.Equal("watch-demo", Assert.IsType<N.Deleted>(got[5]).Object.Metadata.Name);
        Assert.Equal("309", (await h.WatchRequestAsync(2)).ResourceVersion);
        Assert.Empty(h.Observer.Backoffs);
    }

    [Fact]
    public async Task Replays_the_recorded_410_error_event_as_a_relist()
    {
        var frames = TranscriptFrames.Of("watch-03-410-gone-after-compaction.txt", 5);
        await using var h = new WatchHarness();
        h.Server.SetObjects(Array.Empty<TestObject>(), "258");
        h.Server.EnqueueWatch(Ending.EndOfStream, new[] { Frames.Bookmark("259") }.Concat(frames).ToArray());
        h.Start();

        var got = await h.NextAsync(2);
        Assert.All(got, n => Assert.IsType<N.Restarted>(n));
        Assert.Equal(new[] { "initial", "gone" }, h.Observer.Relists);
    }
}
