namespace SecurityOperator.Kube.Queue;

/// <summary>A rate-limited work queue for reconcilers, with client-go workqueue semantics:
/// <list type="bullet">
/// <item>Dedup: adding a key that is already waiting does nothing; the key is processed once.</item>
/// <item>One worker per key: a key handed out by <see cref="GetAsync"/> is "processing" until <see cref="Done"/>. Adding it
/// meanwhile marks it dirty; <see cref="Done"/> then queues it again, so the newest state is always reconciled, never by
/// two workers at once.</item>
/// <item>Delays: <see cref="AddAfter"/> queues a key later (an earlier pending time wins); <see cref="AddRateLimited"/>
/// asks the rate limiter (default: per-key 5 ms x 2^failures up to 1000 s, and an overall 10 qps / burst 100 bucket,
/// client-go's DefaultControllerRateLimiter). As in client-go, the overall bucket paces retries only; a plain
/// <see cref="Add"/> is never delayed. <see cref="Forget"/> clears a key's failure count after a success.</item>
/// <item>Shutdown, two ways. <see cref="ShutDownAsync"/> stops: queued and delayed keys are dropped, waiting and later
/// GetAsync calls return false at once. <see cref="ShutDownWithDrainAsync"/> drains: delayed keys are dropped but every
/// key already queued (or dirty) is still handed out, and GetAsync returns false once nothing is left. Both refuse new
/// keys and complete when no key is processing (in-flight work is never interrupted by the queue).</item>
/// </list></summary>
public sealed class WorkQueue<TKey> where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = new();
    private readonly HashSet<TKey> _processing = new();
    private readonly Dictionary<TKey, long> _queuedAt = new();
    private readonly Dictionary<TKey, long> _startedAt = new();
    private readonly Dictionary<TKey, Delayed> _delayed = new();
    private readonly List<TaskCompletionSource> _waiters = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly WorkQueueMetrics _metrics;
    private long _delayId;
    private bool _shuttingDown;
    private bool _draining;

    private sealed record Delayed(DateTimeOffset ReadyAt, long Id, ITimer Timer);

    public WorkQueue(WorkQueueOptions<TKey> options)
    {
        _time = options.TimeProvider;
        _rateLimiter = options.RateLimiter ?? MaxOfRateLimiter<TKey>.ClientGoDefault(_time);
        _metrics = new WorkQueueMetrics(options.Metrics, options.Name);
    }

    /// <summary>Keys waiting to be handed out (not counting delayed or processing ones).</summary>
    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    public bool IsShuttingDown
    {
        get { lock (_gate) return _shuttingDown; }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already waiting; if it is processing, it runs again after Done.
    /// Ignored after shutdown.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown) return;
            AddLocked(key);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>. If it is already scheduled earlier, that
    /// time stands; a zero or negative delay is a plain Add.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (_shuttingDown) return;
            var readyAt = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.ReadyAt <= readyAt) return;
                pending.Timer.Dispose();
            }
            var id = ++_delayId;
            var timer = _time.CreateTimer(_ => Fire(key, id), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = new Delayed(readyAt, id, timer);
        }
    }

    /// <summary>Queues <paramref name="key"/> after the rate limiter's wait for it: for a failed reconcile.</summary>
    public void AddRateLimited(TKey key)
    {
        if (IsShuttingDown) return;
        _metrics.Retries.Inc();
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <summary>Clears the failure history of <paramref name="key"/> (call after a successful reconcile).</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>Waits for a key and marks it processing; the caller must call <see cref="Done"/> for it. Returns
    /// (false, default) once the queue is shut down (after draining, in drain mode).</summary>
    public async ValueTask<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource wake;
            lock (_gate)
            {
                // After a stop the queue is empty; after a drain it empties, so any queued key is still handed out.
                if (_queue.Count > 0) return (true, TakeLocked());
                // Draining: a key processing elsewhere and dirty will be queued again by its Done, so keep waiting for it.
                if (_shuttingDown && !(_draining && _processing.Any(_dirty.Contains))) return (false, default!);
                wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(wake);
            }
            try
            {
                await wake.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_gate) _waiters.Remove(wake);
                throw;
            }
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile, it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            if (!_processing.Remove(key)) return;
            if (_startedAt.Remove(key, out var started))
                _metrics.WorkDuration.Observe(_time.GetElapsedTime(started).TotalSeconds);
            // A key marked dirty while processing was accepted before any shutdown, so it runs again even when draining.
            if (_dirty.Contains(key)) EnqueueLocked(key);
            // Waiters of a draining queue re-check whether anything can still come.
            if (_shuttingDown) WakeAllLocked();
            CheckIdleLocked();
        }
    }

    /// <summary>Stops: see the class summary. Completes when no key is processing.</summary>
    public Task ShutDownAsync() => ShutDown(drain: false);

    /// <summary>Drains: see the class summary. Completes when nothing is queued or processing.</summary>
    public Task ShutDownWithDrainAsync() => ShutDown(drain: true);

    private Task ShutDown(bool drain)
    {
        lock (_gate)
        {
            if (!_shuttingDown)
            {
                _shuttingDown = true;
                _draining = drain;
                foreach (var pending in _delayed.Values) pending.Timer.Dispose();
                _delayed.Clear();
                if (!drain)
                {
                    // Stopping drops every pending run, including re-runs of keys now processing.
                    _dirty.Clear();
                    _queue.Clear();
                    _queuedAt.Clear();
                    _metrics.Depth.Set(0);
                }
                WakeAllLocked();
                CheckIdleLocked();
            }
            return _idle.Task;
        }
    }

    private void Fire(TKey key, long id)
    {
        lock (_gate)
        {
            // A later AddAfter with an earlier time replaced this timer; only the current one counts.
            if (!_delayed.TryGetValue(key, out var pending) || pending.Id != id) return;
            _delayed.Remove(key);
            pending.Timer.Dispose();
            if (!_shuttingDown) AddLocked(key);
        }
    }

    private void AddLocked(TKey key)
    {
        if (!_dirty.Add(key)) return;   // already waiting (or already marked to run again)
        _metrics.Adds.Inc();
        if (_processing.Contains(key)) return;   // Done will queue it
        EnqueueLocked(key);
    }

    private void EnqueueLocked(TKey key)
    {
        _queue.Enqueue(key);
        _queuedAt[key] = _time.GetTimestamp();
        _metrics.Depth.Set(_queue.Count);
        WakeAllLocked();
    }

    private TKey TakeLocked()
    {
        var key = _queue.Dequeue();
        _dirty.Remove(key);
        _processing.Add(key);
        if (_queuedAt.Remove(key, out var queued)) _metrics.QueueDuration.Observe(_time.GetElapsedTime(queued).TotalSeconds);
        _startedAt[key] = _time.GetTimestamp();
        _metrics.Depth.Set(_queue.Count);
        return key;
    }

    private void WakeAllLocked()
    {
        // Every waiter re-checks under the lock; waking all keeps it simple and correct when a woken waiter is cancelled.
        foreach (var waiter in _waiters) waiter.TrySetResult();
        _waiters.Clear();
    }

    private void CheckIdleLocked()
    {
        if (_shuttingDown && _processing.Count == 0 && (!_draining || _queue.Count == 0))
        {
            _idle.TrySetResult();
            WakeAllLocked();
        }
    }
}
