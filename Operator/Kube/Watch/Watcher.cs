using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Watch;

/// <summary>LIST+WATCH for one resource, as an explicit state machine (<see cref="WatcherState{T}"/>):
/// <code>
/// state               | step                               | outcome                          -> next state
/// --------------------+------------------------------------+----------------------------------+--------------------------------
/// Empty               | LIST first page (limit=PageSize)   | more pages (continue token)      -> InitialListing
///                     |                                    | last page: emit Restarted(all)   -> InitListed(listRV)
///                     |                                    | any error                        -> Backoff -> Empty
/// InitialListing      | LIST next page (continue)          | more / last page                 -> as above
///                     |                                    | 410 (continue token expired)     -> Empty
///                     |                                    | other error                      -> Backoff -> same page again
/// InitListed(rv)      | WATCH from rv (bookmarks on,       | 200 stream                       -> Watching(rv)
///                     |  timeout in [5,10) min)            | 410                              -> Empty (Backoff first if rv is fresh from LIST)
///                     |                                    | other error                      -> Backoff -> InitListed(rv)
/// Watching(rv)        | read one frame                     | ADDED/MODIFIED: emit Applied     -> Watching(object RV)
///                     |                                    | DELETED: emit Deleted            -> Watching(object RV)
///                     |                                    | BOOKMARK (no emit)               -> Watching(bookmark RV)
///                     |                                    | ERROR code 410 (watch-03)        -> Empty (relist)
///                     |                                    | ERROR other code                 -> Backoff -> InitListed(rv)
///                     |                                    | clean end of stream (timeout)    -> InitListed(rv), no backoff
///                     |                                    | end at once, no frame, &lt; 1 s     -> Backoff -> InitListed(rv)
///                     |                                    | IOException / bad frame          -> Backoff -> InitListed(rv)
///                     |                                    | frame over MaxFrameBytes         -> Empty (relist)
/// Backoff(d, next)    | wait d                             |                                  -> next
/// </code>
/// A relist is delivered as one <see cref="WatchNotification{T}.Restarted"/> with the whole new set; the consumer
/// (<see cref="Informers.SharedInformer{T}"/>) diffs it against what it knew and surfaces the missing objects as
/// deletions. The output is pull-based: nothing is read from the server until the consumer asks for the next
/// notification, so a slow consumer slows the stream down (TCP back-pressure) and never loses or reorders events.</summary>
public sealed class Watcher<T> where T : class, IKubeObject
{
    // client-go reflector: a watch that closes in under a second having delivered nothing is "very short watch" and is
    // treated as an error (backoff), so a server that ends every stream at once cannot drive a tight request loop.
    private static readonly TimeSpan VeryShortWatch = TimeSpan.FromSeconds(1);

    private readonly IListerWatcher<T> _listerWatcher;
    private readonly WatcherOptions _options;
    private readonly IWatchObserver _observer;
    private readonly ILogger _logger;
    private readonly ExponentialBackoff _backoff;
    private volatile string? _resourceVersion;

    public Watcher(IListerWatcher<T> listerWatcher, WatcherOptions? options = null, IWatchObserver? observer = null,
        ILogger? logger = null)
    {
        _listerWatcher = listerWatcher;
        _options = options ?? new WatcherOptions();
        if (_options.PageSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), _options.PageSize, "WatcherOptions.PageSize must be positive");
        if (_options.MaxFrameBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), _options.MaxFrameBytes, "WatcherOptions.MaxFrameBytes must be positive");
        _observer = observer ?? new WatchMetrics(MetricsRegistry.Default, _options.ResourceName);
        _logger = logger ?? NullLogger.Instance;
        _backoff = new ExponentialBackoff(_options.Backoff, _options.TimeProvider, _options.Random);
    }

    /// <summary>The RV of the last notification delivered, or null before the first list completed.</summary>
    public string? ResourceVersion => _resourceVersion;

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> is cancelled (then the enumeration throws
    /// OperationCanceledException). Never ends on its own: every failure is retried as the table above says.
    /// Enumerate it once: each enumeration is an independent loop with its own LIST.</summary>
    public async IAsyncEnumerable<WatchNotification<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WatcherState<T> state = new WatcherState<T>.Empty("initial");
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (next, output) = await StepAsync(state, cancellationToken).ConfigureAwait(false);
                state = next;
                if (output is null) continue;
                _resourceVersion = output.ResourceVersion;
                yield return output;
            }
        }
        finally
        {
            if (state is WatcherState<T>.Watching open) await open.Reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<(WatcherState<T>, WatchNotification<T>?)> StepAsync(WatcherState<T> state, CancellationToken ct) => state switch
    {
        WatcherState<T>.Empty empty => ListFirstPageAsync(empty, ct),
        WatcherState<T>.InitialListing listing => ListNextPageAsync(listing, ct),
        WatcherState<T>.InitListed listed => OpenWatchAsync(listed, ct),
        WatcherState<T>.Watching watching => ReadFrameAsync(watching, ct),
        WatcherState<T>.Backoff backoff => WaitAsync(backoff, ct),
        _ => throw new InvalidOperationException($"unknown watcher state {state}"),
    };

    private async Task<(WatcherState<T>, WatchNotification<T>?)> ListFirstPageAsync(WatcherState<T>.Empty state, CancellationToken ct)
    {
        _observer.Relisting(state.Reason);
        _logger.LogDebug("Listing {Resource} from scratch ({Reason})", _options.ResourceName, state.Reason);
        try
        {
            var page = await _listerWatcher.ListAsync(null, _options.PageSize, ct).ConfigureAwait(false);
            return AfterPage(new List<T>(page.Items.Count), page, snapshotResourceVersion: null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Whatever failed (410 on a first page included), the next attempt is again a list from scratch.
            return (EnterBackoff(new WatcherState<T>.Empty("list-retry"), e), null);
        }
    }

    private async Task<(WatcherState<T>, WatchNotification<T>?)> ListNextPageAsync(WatcherState<T>.InitialListing state, CancellationToken ct)
    {
        try
        {
            var page = await _listerWatcher.ListAsync(state.ContinueToken, _options.PageSize, ct).ConfigureAwait(false);
            return AfterPage(state.Items, page, state.SnapshotResourceVersion);
        }
        catch (KubeApiException e) when (e.IsGone && !ct.IsCancellationRequested)
        {
            // watch-03 REQUEST 2: the continue token outlived the server's history. Its 410 body offers an inconsistent
            // continuation; a cache must not mix snapshots, so start the list over.
            _logger.LogInformation("Continue token for {Resource} expired; listing again from scratch: {Message}", _options.ResourceName, e.Message);
            return (new WatcherState<T>.Empty("gone"), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (EnterBackoff(state, e), null);
        }
    }

    private (WatcherState<T>, WatchNotification<T>?) AfterPage(List<T> items, KubeList<T> page, string? snapshotResourceVersion)
    {
        items.AddRange(page.Items);
        // Every page of one paged list carries the same snapshot RV (pods-03); the first page's is the one to watch from.
        var rv = snapshotResourceVersion ?? page.Metadata.ResourceVersion;
        if (string.IsNullOrEmpty(rv))
            return (EnterBackoff(new WatcherState<T>.Empty("list-retry"),
                new WatchProtocolException($"LIST of {_options.ResourceName} returned no metadata.resourceVersion; cannot start a watch")), null);
        if (!string.IsNullOrEmpty(page.Metadata.Continue))
            return (new WatcherState<T>.InitialListing(items, page.Metadata.Continue, rv), null);
        _logger.LogDebug("Listed {Count} {Resource} at resourceVersion {ResourceVersion}", items.Count, _options.ResourceName, rv);
        return (new WatcherState<T>.InitListed(rv, "after-list", FreshFromList: true),
            new WatchNotification<T>.Restarted(items, rv));
    }

    private async Task<(WatcherState<T>, WatchNotification<T>?)> OpenWatchAsync(WatcherState<T>.InitListed state, CancellationToken ct)
    {
        _observer.Watching(state.ResourceVersion, state.Reason);
        // client-go reflector: timeoutSeconds = minWatchTimeout * (rand + 1), spreading re-watches of many clients.
        var timeout = TimeSpan.FromSeconds(Math.Floor(_options.MinWatchTimeout.TotalSeconds * (1 + _options.Random())));
        try
        {
            var body = await _listerWatcher.WatchAsync(state.ResourceVersion, timeout, ct).ConfigureAwait(false);
            var reader = new NdjsonLineReader(body, _options.MaxFrameBytes);
            return (new WatcherState<T>.Watching(state.ResourceVersion, reader, state.FreshFromList, 0,
                _options.TimeProvider.GetUtcNow()), null);
        }
        catch (KubeApiException e) when (e.IsGone && !ct.IsCancellationRequested)
        {
            return (Gone(state.FreshFromList, e), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (EnterBackoff(state with { Reason = "error" }, e), null);
        }
    }

    private async Task<(WatcherState<T>, WatchNotification<T>?)> ReadFrameAsync(WatcherState<T>.Watching state, CancellationToken ct)
    {
        WatchFrame<T> frame;
        try
        {
            var line = await state.Reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (line is null)
            {
                await state.Reader.DisposeAsync().ConfigureAwait(false);
                return (EndOfStream(state), null);
            }
            frame = WatchFrameDecoder.Decode(line.Value.Span, _listerWatcher);
        }
        catch (WatchFrameTooLargeException e) when (!ct.IsCancellationRequested)
        {
            await state.Reader.DisposeAsync().ConfigureAwait(false);
            _logger.LogWarning("{Resource} watch: {Message}", _options.ResourceName, e.Message);
            return (new WatcherState<T>.Empty("frame-too-large"), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Connection reset, truncated chunk, undecodable frame: the RV we hold is still good, so resume from it.
            await state.Reader.DisposeAsync().ConfigureAwait(false);
            return (EnterBackoff(new WatcherState<T>.InitListed(state.ResourceVersion, "error", state.FreshFromList), e), null);
        }

        _observer.EventReceived(frame.Type);
        var rv = string.IsNullOrEmpty(frame.ResourceVersion) ? state.ResourceVersion : frame.ResourceVersion;
        var advanced = state with { ResourceVersion = rv, FreshFromList = false, Frames = state.Frames + 1 };
        switch (frame.Type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                return (advanced, new WatchNotification<T>.Applied(frame.Object!, frame.Type, rv));
            case WatchEventType.Deleted:
                return (advanced, new WatchNotification<T>.Deleted(frame.Object!, rv));
            case WatchEventType.Bookmark:
                // A bookmark only moves the position (watch-01: a skeleton object with just metadata.resourceVersion).
                return (advanced, null);
            default:
                // ERROR: the server closes the stream right after it (watch-03); close our side too.
                await state.Reader.DisposeAsync().ConfigureAwait(false);
                var error = frame.Error!;
                if (error.IsGone) return (Gone(state.FreshFromList, error), null);
                return (EnterBackoff(new WatcherState<T>.InitListed(state.ResourceVersion, "error", state.FreshFromList), error), null);
        }
    }

    private WatcherState<T> EndOfStream(WatcherState<T>.Watching state)
    {
        var lived = _options.TimeProvider.GetUtcNow() - state.OpenedAt;
        if (state.Frames == 0 && lived < VeryShortWatch)
            return EnterBackoff(new WatcherState<T>.InitListed(state.ResourceVersion, "error", state.FreshFromList),
                new IOException($"very short watch of {_options.ResourceName}: the server ended the stream after {lived.TotalMilliseconds:F0} ms without a frame"));
        // The server's timeoutSeconds ran out (watch-01/02: an ordinary end of the chunked body). Nothing is wrong.
        return new WatcherState<T>.InitListed(state.ResourceVersion, "end-of-stream", state.FreshFromList);
    }

    private WatcherState<T> Gone(bool freshFromList, KubeApiException error)
    {
        _logger.LogInformation("{Resource} watch: resourceVersion too old ({Message}); relisting", _options.ResourceName, error.Message);
        var relist = new WatcherState<T>.Empty("gone");
        return freshFromList ? EnterBackoff(relist, error) : relist;
    }

    private WatcherState<T> EnterBackoff(WatcherState<T> then, Exception cause)
    {
        var delay = _backoff.Next();
        _observer.BackingOff(delay, cause);
        _logger.LogWarning("{Resource} list/watch failed ({Error}); retrying in {DelayMs} ms", _options.ResourceName, cause.Message,
            (long)delay.TotalMilliseconds);
        return new WatcherState<T>.Backoff(delay, then);
    }

    private async Task<(WatcherState<T>, WatchNotification<T>?)> WaitAsync(WatcherState<T>.Backoff state, CancellationToken ct)
    {
        await Task.Delay(state.Delay, _options.TimeProvider, ct).ConfigureAwait(false);
        return (state.Then, null);
    }
}
