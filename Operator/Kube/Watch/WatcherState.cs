using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Watch;

/// <summary>The states of the watch loop (modelled on kube-rs runtime/src/watcher.rs: Empty, InitPage, InitListed,
/// Watching; plus an explicit Backoff state). Each <see cref="Watcher{T}"/> step consumes one state, performs at most one
/// request or reads one frame, and returns the next state. The transitions are listed on <see cref="Watcher{T}"/>.</summary>
internal abstract record WatcherState<T> where T : class, IKubeObject
{
    private WatcherState() { }

    /// <summary>Nothing usable is known (start, or the server said our RV or continue token is too old): the next step
    /// lists the first page from scratch.</summary>
    public sealed record Empty(string Reason) : WatcherState<T>;

    /// <summary>A paged LIST is under way: the items of the pages read so far, the next page's token, and the snapshot RV
    /// every page of one list shares (pods-03).</summary>
    public sealed record InitialListing(List<T> Items, string ContinueToken, string SnapshotResourceVersion) : WatcherState<T>;

    /// <summary>The position is known but no stream is open: the next step opens a WATCH from
    /// <paramref name="ResourceVersion"/>. <paramref name="FreshFromList"/>: the RV came from a LIST with no frame
    /// since, so a 410 for it means something is badly off and is retried after a backoff, not in a tight loop.</summary>
    public sealed record InitListed(string ResourceVersion, string Reason, bool FreshFromList) : WatcherState<T>;

    /// <summary>A watch stream is open: the next step reads one frame. <paramref name="Frames"/> counts frames on this
    /// stream and <paramref name="OpenedAt"/> is when it was opened (a stream that ends at once with none is an error).</summary>
    public sealed record Watching(string ResourceVersion, NdjsonLineReader Reader, bool FreshFromList, long Frames,
        DateTimeOffset OpenedAt) : WatcherState<T>;

    /// <summary>Waiting <paramref name="Delay"/> after a failure, then going to <paramref name="Then"/>.</summary>
    public sealed record Backoff(TimeSpan Delay, WatcherState<T> Then) : WatcherState<T>;
}
