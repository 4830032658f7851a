using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime;

/// <summary>The node agent's metrics. The kernel's per-CPU counters and the event thread's plain counters are
/// copied into the registry by <see cref="Refresh"/> (every few seconds and before a scrape matters little), so the
/// hot paths never touch a shared metric.</summary>
public sealed class NodeMetrics
{
    private readonly Counter _kernel;
    private readonly Counter _processed;
    private readonly Counter _alerts;
    private readonly Gauge _containers;
    private readonly Dictionary<KernelCounter, double> _lastKernel = new();
    private readonly double[] _lastProcessed = new double[8];

    public NodeMetrics(MetricsRegistry registry)
    {
        _kernel = registry.CreateCounter("security_operator_node_kernel_events_total",
            "Counts kept by the eBPF programs (per-CPU, summed): events sent, drops (ring buffer full), filtered (not a container), kills, blocks.", "counter");
        _processed = registry.CreateCounter("security_operator_node_events_processed_total", "Events read from the ring buffer, by type.", "type");
        _alerts = registry.CreateCounter("security_operator_node_alerts_total", "Alerts raised, by rule id.", "rule");
        _containers = registry.CreateGauge("security_operator_node_containers", "Container cgroups known to the attribution index.");
    }

    public void Alert(string ruleId) => _alerts.WithLabels(ruleId).Inc();

    public void Refresh(KernelSensor sensor, NodeEventPipeline pipeline)
    {
        foreach (var counter in Enum.GetValues<KernelCounter>())
        {
            var value = (double)sensor.Counter(counter);
            _kernel.WithLabels(counter.ToString().ToLowerInvariant()).Inc(value - _lastKernel.GetValueOrDefault(counter));
            _lastKernel[counter] = value;
        }
        for (var type = 1; type < _lastProcessed.Length; type++)
        {
            var value = (double)pipeline.Processed((NodeEventType)type);
            _processed.WithLabels(((NodeEventType)type).ToString().ToLowerInvariant()).Inc(value - _lastProcessed[type]);
            _lastProcessed[type] = value;
        }
        _containers.Set(pipeline.KnownContainers);
    }
}
