using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Flows;

/// <summary>Flow learning as the node role runs it (--flow-reports, --flow-report-interval): an index of this node's
/// pods fed by the role's pod informer, the aggregator the event pipeline feeds, and the publisher loop.</summary>
public sealed class FlowPublishing
{
    private readonly FlowReportPublisher _publisher;
    private readonly TimeSpan _interval;

    private FlowPublishing(FlowAggregator aggregator, FlowReportPublisher publisher, TimeSpan interval)
    {
        Aggregator = aggregator;
        _publisher = publisher;
        _interval = interval;
    }

    public FlowAggregator Aggregator { get; }

    /// <summary>Null when --flow-reports is off or there is no API server (--kubeconfig none).</summary>
    public static FlowPublishing? Create(OperatorOptions options, KubeClient? client, SharedInformer<Pod>? nodePods, string nodeName, ILoggerFactory loggers)
    {
        if (!options.GetBool(Flags.FlowReports)) return null;
        var log = loggers.CreateLogger("flows");
        if (client is null || nodePods is null)
        {
            log.LogWarning("--flow-reports needs an API server to publish to: flows are not collected with --kubeconfig none");
            return null;
        }
        var index = new FlowPodIndex();
        nodePods.AddEventHandler(index);
        var aggregator = new FlowAggregator(index, TimeProvider.System);
        var interval = options.GetDuration(Flags.FlowReportInterval);
        log.LogInformation("publishing NetworkFlowReports {Node} every {Interval} when changed", nodeName, interval);
        return new FlowPublishing(aggregator, new FlowReportPublisher(client, aggregator, nodeName, TimeProvider.System, log), interval);
    }

    public Task RunAsync(CancellationToken stopping) => _publisher.RunAsync(_interval, stopping);
}
