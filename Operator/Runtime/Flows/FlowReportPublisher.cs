using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Flows;

/// <summary>Writes the aggregated flows as one NetworkFlowReport per source namespace, named after this node, and
/// only the namespaces whose flows changed since the last write. The object is created, or replaced with the
/// resourceVersion of the last write (read again after a conflict); a failed write is retried on the next pass.</summary>
public sealed class FlowReportPublisher(KubeClient client, FlowAggregator flows, string nodeName, TimeProvider time, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _resourceVersions = new(StringComparer.Ordinal);

    /// <summary>Reports written since start.</summary>
    public long Writes { get; private set; }

    /// <summary>Publishes every pass of <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                await PublishAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: writes the report of each namespace whose flows changed; returns how many were written.</summary>
    public async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var (ns, version) in flows.Versions().OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (_published.TryGetValue(ns, out var last) && last == version) continue;
            if (flows.Snapshot(ns) is not { } snapshot) continue;
            try
            {
                await WriteAsync(ns, Report(ns, snapshot), cancellationToken).ConfigureAwait(false);
                _published[ns] = snapshot.Version;
                written++;
                Writes++;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or KubeResponseFormatException)
            {
                _logger.LogWarning("NetworkFlowReport {Namespace}/{Name} not written (retried next pass): {Reason}", ns, nodeName, e.Message);
            }
        }
        return written;
    }

    private NetworkFlowReport Report(string ns, FlowSnapshot snapshot) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = nodeName, Namespace = ns,
            Labels = new() { [ManagedNetworkPolicy.ManagedByLabel] = ManagedNetworkPolicy.ManagedByValue },
        },
        Spec = new NetworkFlowReportSpec
        {
            NodeName = nodeName, WindowStart = snapshot.Since, WindowEnd = time.GetUtcNow(),
            Flows = [.. snapshot.Flows], DroppedFlows = snapshot.Dropped,
        },
    };

    private async Task WriteAsync(string ns, NetworkFlowReport report, CancellationToken cancellationToken)
    {
        var type = FlowJsonContext.Default.NetworkFlowReport;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                NetworkFlowReport stored;
                if (_resourceVersions.TryGetValue(ns, out var version))
                {
                    report.Metadata.ResourceVersion = version;
                    stored = await client.ReplaceAsync(NetworkFlowReport.Resource, ns, report, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    report.Metadata.ResourceVersion = null;
                    stored = await client.CreateAsync(NetworkFlowReport.Resource, ns, report, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                _resourceVersions[ns] = stored.Metadata.ResourceVersion ?? "";
                return;
            }
            catch (Exception e) when (attempt == 0 && e is KubeAlreadyExistsException or KubeConflictException)
            {
                // Written before (an earlier run of this agent) or changed by someone else: take its current version.
                var current = await client.GetAsync(NetworkFlowReport.Resource, ns, nodeName, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                _resourceVersions[ns] = current.Metadata.ResourceVersion ?? "";
            }
            catch (KubeNotFoundException) when (attempt == 0)
            {
                _resourceVersions.Remove(ns);   // deleted meanwhile: create it again
            }
        }
    }
}
