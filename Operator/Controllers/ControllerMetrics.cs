using System.Diagnostics;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Controllers;

/// <summary>The controller's own metrics (queues, watches and API latency have theirs in the shared code).</summary>
public sealed class ControllerMetrics(MetricsRegistry registry)
{
    private readonly Counter _reconciles = registry.CreateCounter("security_operator_controller_reconciles_total",
        "Reconciles by controller and result (success, unchanged, deferred, error).", "controller", "result");
    private readonly Histogram _duration = registry.CreateHistogram("security_operator_controller_reconcile_duration_seconds",
        "Duration of one reconcile by controller.", Histogram.DefaultBuckets, "controller");

    public Gauge Policies { get; } = registry.CreateGauge("security_operator_policies",
        "Policies by state: ready (the newest generation compiled), stale (invalid, an older generation in force), invalid (nothing in force).", "state");

    public Gauge Violations { get; } = registry.CreateGauge("security_operator_policy_violating_resources",
        "Resources (workloads and bare pods) violating a policy's deny rules, by policy and mode.", "policy", "mode");

    /// <summary>Runs one reconcile, recording its duration and result ("error" when it throws; the exception propagates).</summary>
    public async Task RecordAsync(string controller, Func<Task<string>> reconcile)
    {
        var start = Stopwatch.GetTimestamp();
        var result = "error";
        try
        {
            result = await reconcile().ConfigureAwait(false);
        }
        finally
        {
            _duration.WithLabels(controller).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            _reconciles.WithLabels(controller, result).Inc();
        }
    }
}
