namespace SecurityOperator.Kube.Watch;

/// <summary>Hooks a <see cref="Watcher{T}"/> calls on each state change worth counting. <see cref="WatchMetrics"/> (the default) turns
/// them into Prometheus series; tests record them. Calls come from the watch loop, one at a time.</summary>
public interface IWatchObserver
{
    /// <summary>A LIST from scratch begins. Reasons: "initial", "gone" (410), "frame-too-large", "list-retry".</summary>
    void Relisting(string reason);

    /// <summary>A new WATCH request is about to be opened from a kept RV. Reasons: "after-list", "end-of-stream", "error".</summary>
    void Watching(string resourceVersion, string reason);

    /// <summary>One frame was received.</summary>
    void EventReceived(WatchEventType type);

    /// <summary>The loop waits <paramref name="delay"/> after <paramref name="cause"/> before going on.</summary>
    void BackingOff(TimeSpan delay, Exception cause);
}

/// <summary>Observes nothing.</summary>
public sealed class NullWatchObserver : IWatchObserver
{
    public static NullWatchObserver Instance { get; } = new();
    public void Relisting(string reason) { }
    public void Watching(string resourceVersion, string reason) { }
    public void EventReceived(WatchEventType type) { }
    public void BackingOff(TimeSpan delay, Exception cause) { }
}
