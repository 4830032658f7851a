using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Watch;

/// <summary>What a <see cref="Watcher{T}"/> tells its consumer. <see cref="ResourceVersion"/> is the watcher's position
/// after this notification (a list snapshot RV or the RV of the event).</summary>
public abstract record WatchNotification<T>(string ResourceVersion) where T : class, IKubeObject
{
    /// <summary>A complete LIST: <see cref="Objects"/> is the full current set. Anything the consumer knew that is not in
    /// it was deleted while the watcher was not looking (after a 410, or before the first list). Sent first, and after
    /// every relist.</summary>
    public sealed record Restarted(IReadOnlyList<T> Objects, string ResourceVersion) : WatchNotification<T>(ResourceVersion);

    /// <summary>ADDED or MODIFIED: the object's new state.</summary>
    public sealed record Applied(T Object, WatchEventType EventType, string ResourceVersion) : WatchNotification<T>(ResourceVersion);

    /// <summary>DELETED: the object's last state. With a label selector this also means "stopped matching" (watch-05).</summary>
    public sealed record Deleted(T Object, string ResourceVersion) : WatchNotification<T>(ResourceVersion);
}
