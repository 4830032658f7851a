using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Kube.Queue;

/// <summary>The series of one work queue, labelled name="...": depth, adds, retries, time from add to processing start
/// (queue duration) and processing time (work duration), like client-go's workqueue metrics.</summary>
internal sealed class WorkQueueMetrics
{
    // Reconciles take from microseconds (cache hit, nothing to do) to tens of seconds (many API calls under backoff).
    private static readonly double[] DurationBuckets = [0.0001, 0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60];

    public WorkQueueMetrics(MetricsRegistry registry, string name)
    {
        Depth = registry.CreateGauge("security_operator_workqueue_depth", "Keys waiting in the work queue.", "name").WithLabels(name);
        Adds = registry.CreateCounter("security_operator_workqueue_adds_total", "Keys accepted into the work queue (duplicates excluded).", "name").WithLabels(name);
        Retries = registry.CreateCounter("security_operator_workqueue_retries_total", "Rate-limited re-adds (failed reconciles).", "name").WithLabels(name);
        QueueDuration = registry.CreateHistogram("security_operator_workqueue_queue_duration_seconds",
            "Seconds a key waited in the queue before a worker took it.", DurationBuckets, "name").WithLabels(name);
        WorkDuration = registry.CreateHistogram("security_operator_workqueue_work_duration_seconds",
            "Seconds a worker spent on a key (Get to Done).", DurationBuckets, "name").WithLabels(name);
    }

    public Gauge.Child Depth { get; }
    public Counter.Child Adds { get; }
    public Counter.Child Retries { get; }
    public Histogram.Child QueueDuration { get; }
    public Histogram.Child WorkDuration { get; }
}
