using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Kube.Watch;

/// <summary>The watch loop's Prometheus series, labelled by resource:
/// security_operator_watch_relists_total{resource,reason}, security_operator_watch_restarts_total{resource,reason}
/// (every WATCH request: after-list, end-of-stream, error), security_operator_watch_events_total{resource,type} and
/// security_operator_watch_backoffs_total{resource}.</summary>
public sealed class WatchMetrics : IWatchObserver
{
    private readonly string _resource;
    private readonly Counter _relists;
    private readonly Counter _restarts;
    private readonly Counter _events;
    private readonly Counter _backoffs;

    public WatchMetrics(MetricsRegistry registry, string resource)
    {
        _resource = resource;
        _relists = registry.CreateCounter("security_operator_watch_relists_total",
            "LISTs from scratch by the watch loop (initial, gone = 410, frame-too-large, list-retry).", "resource", "reason");
        _restarts = registry.CreateCounter("security_operator_watch_restarts_total",
            "WATCH requests opened from a kept resourceVersion, by why the previous one ended.", "resource", "reason");
        _events = registry.CreateCounter("security_operator_watch_events_total",
            "Watch frames received, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR).", "resource", "type");
        _backoffs = registry.CreateCounter("security_operator_watch_backoffs_total",
            "Times the watch loop waited after a failure.", "resource");
    }

    public void Relisting(string reason) => _relists.WithLabels(_resource, reason).Inc();
    public void Watching(string resourceVersion, string reason) => _restarts.WithLabels(_resource, reason).Inc();
    public void EventReceived(WatchEventType type) => _events.WithLabels(_resource, TypeLabel(type)).Inc();
    public void BackingOff(TimeSpan delay, Exception cause) => _backoffs.WithLabels(_resource).Inc();

    private static string TypeLabel(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
