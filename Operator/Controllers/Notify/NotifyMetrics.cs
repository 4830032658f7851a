using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Controllers.Notify;

/// <summary>Metrics of the notify HTTP sink.</summary>
public sealed class NotifyMetrics(MetricsRegistry registry)
{
    public Counter Queued { get; } = registry.CreateCounter("security_operator_notify_queued_total",
        "Messages queued for the sink (new findings, and re-notifications).");

    public Counter Sent { get; } = registry.CreateCounter("security_operator_notify_sent_total",
        "Messages the notify sink accepted (2xx).");

    public Counter Failed { get; } = registry.CreateCounter("security_operator_notify_failed_total",
        "Messages given up on: a 4xx other than 429, or still failing after --notify-retries retries.");

    public Counter Retried { get; } = registry.CreateCounter("security_operator_notify_retries_total",
        "Attempts repeated after a network error, a timeout, a 5xx or a 429.");

    public Counter Dropped { get; } = registry.CreateCounter("security_operator_notify_dropped_total",
        "Messages dropped unsent: the oldest when the queue was full, or still queued when the flush deadline passed.");

    public Gauge QueueDepth { get; } = registry.CreateGauge("security_operator_notify_queue_depth",
        "Messages waiting to be sent.");
}
