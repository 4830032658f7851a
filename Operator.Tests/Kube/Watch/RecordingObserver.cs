using System.Collections.Concurrent;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

internal sealed class RecordingObserver : IWatchObserver
{
    public ConcurrentQueue<string> Relists { get; } = new();
    public ConcurrentQueue<(string Rv, string Reason)> Watches { get; } = new();
    public ConcurrentQueue<WatchEventType> Events { get; } = new();
    public ConcurrentQueue<Exception> Backoffs { get; } = new();
    private readonly TaskCompletionSource _firstBackoff = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the watcher first decides to back off.</summary>
    public Task FirstBackoff => _firstBackoff.Task;

    public void Relisting(string reason) => Relists.Enqueue(reason);
    public void Watching(string resourceVersion, string reason) => Watches.Enqueue((resourceVersion, reason));
    public void EventReceived(WatchEventType type) => Events.Enqueue(type);
    public void BackingOff(TimeSpan delay, Exception cause)
    {
        Backoffs.Enqueue(cause);
        _firstBackoff.TrySetResult();
    }
}
