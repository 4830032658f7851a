using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Queue;
using SecurityOperator.Tests.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Queue;

public class WorkQueueTests
{
    private static WorkQueue<string> NewQueue(TimeProvider? time = null, MetricsRegistry? metrics = null, IRateLimiter<string>? limiter = null) =>
        new(new WorkQueueOptions<string>
        {
            Name = "test",
            TimeProvider = time ?? TimeProvider.System,
            Metrics = metrics ?? new MetricsRegistry(),
            RateLimiter = limiter,
        });

    private static async Task<string> Get(WorkQueue<string> queue)
    {
        using var guard = WatchTestKit.Guard();
        var (ok, key) = await queue.GetAsync(guard.Token);
        Assert.True(ok);
        return key;
    }

    [Fact]
    public async Task Adding_a_waiting_key_again_is_a_no_op()
    {
        var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await Get(queue));
        Assert.Equal("b", await Get(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_runs_again_after_done_never_concurrently()
    {
        var queue = NewQueue();
        queue.Add("a");
        Assert.Equal("a", await Get(queue));

        queue.Add("a");   // dirty: must not be handed to a second worker now
        queue.Add("a");   // and only once
        Assert.Equal(0, queue.Count);
        using var guard = WatchTestKit.Guard();
        var second = queue.GetAsync(guard.Token).AsTask();
        queue.Add("b");
        Assert.Equal((true, "b"), await second);

        queue.Done("a");
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await Get(queue));
        queue.Done("a");
        queue.Done("b");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Many_workers_never_process_one_key_at_the_same_time()
    {
        var queue = NewQueue();
        var active = new int[10];
        var violations = 0;
        var processed = 0;
        using var cts = WatchTestKit.Guard();
        var workers = WorkQueueWorkers.RunAsync(queue, 4, async (key, ct) =>
        {
            var slot = int.Parse(key);
            if (Interlocked.Increment(ref active[slot]) > 1) Interlocked.Increment(ref violations);
            await Task.Yield();
            Interlocked.Increment(ref processed);
            Interlocked.Decrement(ref active[slot]);
        }, cts.Token);

        for (var round = 0; round < 300; round++)
        {
            for (var k = 0; k < 10; k++) queue.Add(k.ToString());
            if (round % 10 == 0) await Task.Yield();
        }
        await queue.ShutDownWithDrainAsync();
        await workers;

        Assert.Equal(0, violations);
        Assert.InRange(processed, 10, 3000);
    }

    [Fact]
    public async Task AddAfter_queues_the_key_when_its_time_comes_and_the_earliest_time_wins()
    {
        var clock = new ManualTimeProvider();
        var queue = NewQueue(clock);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("b", TimeSpan.FromHours(1));
        queue.AddAfter("b", TimeSpan.FromSeconds(5));    // earlier: replaces the hour
        queue.AddAfter("a", TimeSpan.FromMinutes(30));   // later: the 10 s stands
        Assert.Equal(0, queue.Count);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Count);
        Assert.Equal("b", await Get(queue));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("a", await Get(queue));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task AddRateLimited_backs_off_exponentially_per_key_until_forget()
    {
        var clock = new ManualTimeProvider();
        var metrics = new MetricsRegistry();
        var queue = NewQueue(clock, metrics, ItemExponentialRateLimiter<string>.ClientGoDefault());

        async Task FailOnce(TimeSpan expectedWait)
        {
            queue.AddRateLimited("a");
            clock.Advance(expectedWait - TimeSpan.FromTicks(1));
            Assert.Equal(0, queue.Count);
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.Equal("a", await Get(queue));
            queue.Done("a");
        }

        await FailOnce(TimeSpan.FromMilliseconds(5));
        await FailOnce(TimeSpan.FromMilliseconds(10));
        await FailOnce(TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, queue.NumRequeues("a"));
        queue.Forget("a");
        await FailOnce(TimeSpan.FromMilliseconds(5));
        Assert.Contains("security_operator_workqueue_retries_total{name=\"test\"} 4", metrics.Render());
    }

    [Fact]
    public async Task Shutdown_stops_drops_waiting_keys_and_waits_for_in_flight_work()
    {
        var clock = new ManualTimeProvider();
        var queue = NewQueue(clock);
        queue.Add("a");
        queue.Add("b");
        queue.AddAfter("c", TimeSpan.FromSeconds(1));
        Assert.Equal("a", await Get(queue));
        queue.Add("a");   // dirty re-run: dropped by the stop

        var stopped = queue.ShutDownAsync();
        Assert.False(stopped.IsCompleted);   // "a" is still processing
        using var guard = WatchTestKit.Guard();
        Assert.False((await queue.GetAsync(guard.Token)).Ok);
        queue.Add("d");
        Assert.Equal(0, queue.Count);

        queue.Done("a");
        await stopped;
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task Shutdown_with_drain_hands_out_every_queued_key_then_ends()
    {
        var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        Assert.Equal("a", await Get(queue));
        queue.Add("a");   // accepted before shutdown: runs again during the drain

        var drained = queue.ShutDownWithDrainAsync();
        queue.Add("late");
        Assert.Equal("b", await Get(queue));
        queue.Done("b");
        Assert.False(drained.IsCompleted);

        using var guard = WatchTestKit.Guard();
        var waiting = queue.GetAsync(guard.Token).AsTask();   // must wait for the dirty "a", not give up
        queue.Done("a");
        Assert.Equal((true, "a"), await waiting);
        queue.Done("a");
        await drained;
        Assert.False((await queue.GetAsync(guard.Token)).Ok);
    }

    [Fact]
    public async Task A_waiting_get_returns_false_when_the_queue_shuts_down()
    {
        var queue = NewQueue();
        using var guard = WatchTestKit.Guard();
        var waiting = queue.GetAsync(guard.Token).AsTask();
        await queue.ShutDownAsync();
        Assert.False((await waiting).Ok);
    }

    [Fact]
    public async Task A_cancelled_get_does_not_swallow_a_key()
    {
        var queue = NewQueue();
        using (var cts = new CancellationTokenSource())
        {
            var waiting = queue.GetAsync(cts.Token).AsTask();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        queue.Add("a");
        Assert.Equal("a", await Get(queue));
    }

    [Fact]
    public async Task Workers_retry_a_failing_key_with_backoff_and_forget_it_after_success()
    {
        var queue = NewQueue(limiter: new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4)));
        var attempts = 0;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = WatchTestKit.Guard();
        var workers = WorkQueueWorkers.RunAsync(queue, 2, (key, _) =>
        {
            if (++attempts < 4) throw new InvalidOperationException("conflict");
            succeeded.TrySetResult();
            return Task.CompletedTask;
        }, cts.Token);

        queue.Add("a");
        await succeeded.Task.WaitAsync(cts.Token);
        await queue.ShutDownWithDrainAsync();
        await workers;
        Assert.Equal(4, attempts);
        Assert.Equal(0, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task Metrics_report_depth_adds_and_durations()
    {
        var metrics = new MetricsRegistry();
        var queue = NewQueue(metrics: metrics);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        var text = metrics.Render();
        Assert.Contains("security_operator_workqueue_depth{name=\"test\"} 2", text);
        Assert.Contains("security_operator_workqueue_adds_total{name=\"test\"} 2", text);

        queue.Done(await Get(queue));
        text = metrics.Render();
        Assert.Contains("security_operator_workqueue_depth{name=\"test\"} 1", text);
        Assert.Contains("security_operator_workqueue_queue_duration_seconds_count{name=\"test\"} 1", text);
        Assert.Contains("security_operator_workqueue_work_duration_seconds_count{name=\"test\"} 1", text);
    }
}
