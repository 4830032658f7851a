using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Kube.Informers;

/// <summary>A cache of one resource kept current by a <see cref="Watcher{T}"/>, with indexes and change handlers.
/// <para>Delivery guarantee: handlers run one call at a time, on the informer's loop, in the order the changes happened;
/// for each change every handler (in registration order) is called before the next change is applied. When a handler
/// runs, the cache already reflects that change and nothing later. A slow handler slows the watch down (nothing is
/// buffered or dropped). A handler that throws is logged and counted; the others and later changes still run.</para>
/// <para>Updates: a MODIFIED whose resourceVersion equals the cached one is not delivered (nothing changed); a relist
/// delivers adds for new keys, updates for changed RVs and deletes for keys the new list lacks; a resync delivers every
/// cached object as an update with old == new.</para></summary>
public sealed class SharedInformer<T> where T : class, IKubeObject
{
    /// <summary>Registered on every informer: objects by metadata.namespace (client-go's NamespaceIndex).</summary>
    public const string NamespaceIndex = "namespace";

    private readonly Watcher<T> _watcher;
    private readonly SharedInformerOptions _options;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache = new();
    // Serialises cache writes with handler calls: the watch loop and the resync loop both take it.
    private readonly SemaphoreSlim _dispatch = new(1, 1);
    private readonly AsyncLocal<bool> _inDispatch = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Gauge.Child _objectsGauge;
    private readonly Counter.Child _handlerErrors;
    private IResourceEventHandler<T>[] _handlers = Array.Empty<IResourceEventHandler<T>>();
    private Func<T, T>? _transform;
    private int _started;

    /// <summary>An informer over a lister/watcher created for the options' selectors.</summary>
    public SharedInformer(Func<ListWatchSelectors, IListerWatcher<T>> listerWatcherFor, SharedInformerOptions? options = null, ILogger? logger = null)
        : this(listerWatcherFor((options ?? new SharedInformerOptions()).Selectors), options, logger) { }

    /// <summary>An informer over a lister/watcher already scoped (namespace, selectors) by its creator.</summary>
    public SharedInformer(IListerWatcher<T> listerWatcher, SharedInformerOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new SharedInformerOptions();
        if (_options.ResyncPeriod is { } period && period <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), period, "SharedInformerOptions.ResyncPeriod must be positive (or null for none)");
        _logger = logger ?? NullLogger.Instance;
        var resource = _options.Watcher.ResourceName;
        _watcher = new Watcher<T>(new TransformingListerWatcher<T>(listerWatcher, () => _transform), _options.Watcher, new WatchMetrics(_options.Metrics, resource), _logger);
        _objectsGauge = _options.Metrics.CreateGauge("security_operator_informer_objects", "Objects in the informer cache.", "resource").WithLabels(resource);
        _handlerErrors = _options.Metrics.CreateCounter("security_operator_informer_handler_errors_total",
            "Informer event handler calls that threw.", "resource").WithLabels(resource);
        _cache.AddIndex(NamespaceIndex, o => o.Metadata?.Namespace is { Length: > 0 } ns ? [ns] : []);
    }

    /// <summary>True once the first complete LIST is in the cache and every handler has received its adds.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Completes when <see cref="HasSynced"/> becomes true.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The RV of the last change applied to the cache.</summary>
    public string? LastSyncResourceVersion => _watcher.ResourceVersion;

    public T? Get(string key) => _cache.Get(key);
    public T? Get(string? @namespace, string name) => _cache.Get(ObjectKey.Of(@namespace, name));
    public IReadOnlyList<T> List() => _cache.List();
    public IReadOnlyList<T> ByIndex(string indexName, string value) => _cache.ByIndex(indexName, value);

    /// <summary>Adds an index; objects already cached are indexed at once. The function must be pure and not throw.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexFunc) => _cache.AddIndex(name, indexFunc);

    /// <summary>Registers a handler. If objects are already cached it first receives an add for each of them, so a late
    /// handler sees the same world as an early one. Must not be called from inside a handler (it waits for the current
    /// dispatch to finish). Dispose the result to unregister (a call already in flight may still arrive).</summary>
    public IDisposable AddEventHandler(IResourceEventHandler<T> handler)
    {
        if (_inDispatch.Value)
            throw new InvalidOperationException("AddEventHandler was called from inside an event handler of the same informer; register handlers before or outside dispatch");
        _dispatch.Wait();
        try
        {
            foreach (var obj in _cache.List()) Invoke(handler, h => h.OnAdd(obj));
            ImmutableInterlocked(h => [.. h, handler]);
        }
        finally { _dispatch.Release(); }
        return new Registration(this, handler);
    }

    /// <summary>Like client-go's SharedInformer.SetTransform: every object decoded from a LIST page or a watch event passes
    /// through <paramref name="transform"/> at once, before the next page is read and before it is cached or handed to
    /// handlers, so a controller that needs a few fields keeps only those and neither the cache nor an initial list of
    /// thousands of objects holds the rest. Call before <see cref="RunAsync"/>. The function may change and return its
    /// argument (nothing else references it) and must not throw; it also sees BOOKMARK skeletons.</summary>
    public void SetTransform(Func<T, T> transform)
    {
        if (Volatile.Read(ref _started) != 0) throw new InvalidOperationException("SetTransform must be called before RunAsync");
        _transform = transform;
    }

    /// <summary>Lists, watches and dispatches until <paramref name="cancellationToken"/> is cancelled, then returns.
    /// Call once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("this informer is already running");
        var resync = _options.ResyncPeriod is { } period ? ResyncLoopAsync(period, cancellationToken) : Task.CompletedTask;
        try
        {
            await foreach (var notification in _watcher.RunAsync(cancellationToken).ConfigureAwait(false))
            {
                await _dispatch.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    _inDispatch.Value = true;
                    Apply(notification);
                }
                finally
                {
                    _inDispatch.Value = false;
                    _dispatch.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
        await resync.ConfigureAwait(false);
    }

    private void Apply(WatchNotification<T> notification)
    {
        switch (notification)
        {
            case WatchNotification<T>.Restarted restarted:
                Replace(restarted.Objects);
                _synced.TrySetResult();
                break;
            case WatchNotification<T>.Applied applied:
                if (KeyOf(applied.Object) is { } key) Upsert(key, applied.Object);
                break;
            case WatchNotification<T>.Deleted deleted:
                if (KeyOf(deleted.Object) is { } deletedKey)
                {
                    _cache.Remove(deletedKey);
                    Deliver(h => h.OnDelete(deleted.Object));
                }
                break;
        }
        _objectsGauge.Set(_cache.Count);
    }

    /// <summary>A relist: the new list is the truth. Adds and updates in list order, then deletes for what vanished.</summary>
    private void Replace(IReadOnlyList<T> objects)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            if (KeyOf(obj) is not { } key) continue;
            seen.Add(key);
            Upsert(key, obj);
        }
        foreach (var key in _cache.Keys())
        {
            if (seen.Contains(key)) continue;
            var gone = _cache.Remove(key);
            if (gone is not null) Deliver(h => h.OnDelete(gone));
        }
    }

    private void Upsert(string key, T obj)
    {
        var old = _cache.Get(key);
        if (old is null)
        {
            _cache.Upsert(key, obj);
            Deliver(h => h.OnAdd(obj));
            return;
        }
        // Same RV = same object state (e.g. present in both the old cache and a relist): nothing to tell.
        if (old.Metadata?.ResourceVersion is { Length: > 0 } rv && rv == obj.Metadata?.ResourceVersion) return;
        _cache.Upsert(key, obj);
        Deliver(h => h.OnUpdate(old, obj));
    }

    private string? KeyOf(T obj)
    {
        try
        {
            return ObjectKey.Of(obj);
        }
        catch (ArgumentException e)
        {
            _logger.LogWarning("Ignoring a {Resource} object the cache cannot key: {Message}", _options.Watcher.ResourceName, e.Message);
            return null;
        }
    }

    private async Task ResyncLoopAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, _options.Watcher.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!HasSynced) continue;
                await _dispatch.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    _inDispatch.Value = true;
                    foreach (var obj in _cache.List()) Deliver(h => h.OnUpdate(obj, obj));
                }
                finally
                {
                    _inDispatch.Value = false;
                    _dispatch.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    private void Deliver(Action<IResourceEventHandler<T>> call)
    {
        foreach (var handler in Volatile.Read(ref _handlers)) Invoke(handler, call);
    }

    private void Invoke(IResourceEventHandler<T> handler, Action<IResourceEventHandler<T>> call)
    {
        try
        {
            call(handler);
        }
        catch (Exception e)
        {
            _handlerErrors.Inc();
            _logger.LogError(e, "A {Resource} informer handler ({Handler}) threw; continuing with the next", _options.Watcher.ResourceName,
                handler.GetType().Name);
        }
    }

    private void ImmutableInterlocked(Func<IResourceEventHandler<T>[], IResourceEventHandler<T>[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _handlers);
            if (Interlocked.CompareExchange(ref _handlers, change(current), current) == current) return;
        }
    }

    private sealed class Registration(SharedInformer<T> owner, IResourceEventHandler<T> handler) : IDisposable
    {
        public void Dispose() => owner.ImmutableInterlocked(h => h.Where(x => !ReferenceEquals(x, handler)).ToArray());
    }
}
