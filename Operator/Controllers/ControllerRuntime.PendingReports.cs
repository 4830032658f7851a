using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SecurityOperator.Kube;

namespace SecurityOperator.Controllers;

public sealed partial class ControllerRuntime
{
    /// <summary>How often the warning that the PolicyReports are not listed is repeated: the NetworkFlowReports' retry
    /// (NetworkPolicyAutomation.FlowReportsRetry), so a missing CRD is named twice a minute, not on every reconcile.</summary>
    internal static readonly TimeSpan ReportsWarningInterval = TimeSpan.FromSeconds(30);

    // How often the leader looks whether the PolicyReport informer has listed: an in-memory flag, so a short real-time
    // poll (not the settings' clock, which tests may hold still).
    private static readonly TimeSpan ReportsPoll = TimeSpan.FromMilliseconds(100);

    // Namespaces audited before the PolicyReports were listed: their report is written once the list arrives.
    private readonly ConcurrentDictionary<string, byte> _reportsPending = new(StringComparer.Ordinal);

    /// <summary>Whether the PolicyReports have been listed (the report writes wait for it; nothing else does).</summary>
    internal bool ReportsListed => _reports.HasSynced;

    /// <summary>How many namespaces' reports are held until the PolicyReports are listed.</summary>
    internal int ReportsHeld => _reportsPending.Count;

    /// <summary>The PolicyReport CRD (wgpolicyk8s.io) may be missing: the caches do not wait for the reports, only the
    /// report writes do. A namespace audited meanwhile is held here; everything else (statuses, Events, enforcement,
    /// quarantine) goes on.</summary>
    internal void HoldReport(string ns)
    {
        _reportsPending[ns] = 0;
        // Listed between the caller's check and now: the waiting loop may have drained already.
        if (_reports.HasSynced && _reportsPending.TryRemove(ns, out _)) _auditQueue.Add(ns);
    }

    /// <summary>Waits until the PolicyReports are listed, warning every <see cref="ReportsWarningInterval"/> with the
    /// CRD's name, then queues every namespace whose report was held.</summary>
    private async Task WriteHeldReportsOnceListedAsync(CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var warned = TimeSpan.Zero;
        while (!_reports.HasSynced)
        {
            await Task.Delay(ReportsPoll, cancellationToken).ConfigureAwait(false);
            if (waiting.Elapsed - warned < ReportsWarningInterval) continue;
            warned = waiting.Elapsed;
            _logger.LogWarning("PolicyReports are not listed after {Seconds:0} s (is the CRD {Crd} installed? manifests/crds/): {Count} namespace reports wait; " +
                "policy statuses, Events and enforcement go on", warned.TotalSeconds, $"{KubeResource.PolicyReports.Plural}.{KubeResource.PolicyReports.Group}",
                _reportsPending.Count);
        }
        foreach (var ns in _reportsPending.Keys)
            if (_reportsPending.TryRemove(ns, out _)) _auditQueue.Add(ns);
    }
}
