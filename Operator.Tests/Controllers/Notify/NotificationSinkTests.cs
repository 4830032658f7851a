using SecurityOperator.Controllers.Notify;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Hosting.Logging;
using SecurityOperator.Tests.Kube.Integration;
using static SecurityOperator.Tests.Controllers.Notify.NotifyTestMessages;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class NotificationSinkTests : IDisposable
{
    private readonly LoopbackSink _receiver = LoopbackSink.Start();
    private readonly NotifyMetrics _metrics = new(new MetricsRegistry());

    public void Dispose() => _receiver.Dispose();

    private IEnumerable<string> ReceivedIds() => _receiver.Requests.Select(r => r.Json["id"]!.GetValue<string>());

    [Fact]
    public async Task A_full_queue_drops_the_oldest_and_counts_it()
    {
        using var sink = new NotificationSink(Settings(_receiver.Url) with { QueueSize = 2 }, _metrics);
        foreach (var id in new[] { "m1", "m2", "m3", "m4", "m5" }) sink.Enqueue(Message(id));
        Assert.Equal((2, 2, 3), (sink.Depth, _metrics.QueueDepth.Value, _metrics.Dropped.Value));

        using var stop = new CancellationTokenSource();
        var run = sink.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => _receiver.Requests.Count == 2, "the two queued messages");
        await stop.CancelAsync();
        await run.WithinLimit("the sink to stop");
        Assert.Equal(["m4", "m5"], ReceivedIds());
        Assert.Equal((2, 0), (_metrics.Sent.Value, _metrics.QueueDepth.Value));
    }

    [Fact]
    public async Task On_stop_the_queue_is_flushed_and_what_the_deadline_cuts_off_is_counted_as_dropped()
    {
        using (var sink = new NotificationSink(Settings(_receiver.Url), _metrics))
        {
            foreach (var id in new[] { "a", "b", "c" }) sink.Enqueue(Message(id));
            // Stopped before it ever ran: the messages are still sent, within the flush deadline.
            await sink.RunAsync(new CancellationToken(canceled: true)).WithinLimit("the flush");
            Assert.Equal(["a", "b", "c"], ReceivedIds());
        }

        // A receiver that never answers: the flush deadline ends the wait and the rest is dropped, not kept.
        _receiver.Script(new LoopbackSink.Reply(200, Hang: true));
        using var stuck = new NotificationSink(Settings(_receiver.Url) with { FlushTimeout = TimeSpan.FromMilliseconds(300) }, _metrics);
        foreach (var id in new[] { "d", "e" }) stuck.Enqueue(Message(id));
        await stuck.RunAsync(new CancellationToken(canceled: true)).WithinLimit("the flush deadline");
        Assert.Equal(2, _metrics.Dropped.Value);
        Assert.Equal(0, stuck.Depth);
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Drops_are_logged_at_most_once_per_interval_with_the_count_since_the_last_warning()
    {
        var capture = new LogCapture();
        var clock = new Clock();
        using var sink = new NotificationSink(Settings(_receiver.Url) with { QueueSize = 1, DropLogInterval = TimeSpan.FromMinutes(1) }, _metrics, clock,
            capture.Logger("notify"));
        foreach (var id in new[] { "a", "b", "c", "d" }) sink.Enqueue(Message(id));
        clock.Now += TimeSpan.FromMinutes(1);
        sink.Enqueue(Message("e"));

        var warnings = capture.Lines().Select(l => l.GetRawText()).Where(l => l.Contains("queue full", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("\"Count\":1", warnings[0], StringComparison.Ordinal);
        Assert.Contains("\"Count\":3", warnings[1], StringComparison.Ordinal);
        Assert.Equal(4, _metrics.Dropped.Value);
    }
}
