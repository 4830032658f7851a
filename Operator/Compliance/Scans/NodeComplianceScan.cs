using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Reports;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Scans;

/// <summary>The node agent's CIS scan (sections 1, 2, 4 as present on the node) of the host tree mounted read-only at
/// --host-root: at start and every <see cref="ComplianceSettings.Interval"/>. Publishes the ClusterPolicyReport
/// <see cref="ReportNameFor"/> (skipped with --kubeconfig none) and the JSON document. The report is labelled with the
/// node's name so all node reports can be listed with one selector.</summary>
public sealed class NodeComplianceScan(KubeClient? client, string nodeName, HostRoot root, ComplianceSettings settings, MetricsRegistry metrics, ILogger logger)
{
    public const string Scope = "node";
    public const string NodeLabel = "security.io/node";
    private const int MaxNameLength = 253;

    private readonly ComplianceMetrics _metrics = new(metrics);
    private readonly ClusterPolicyReportWriter? _writer = client is null ? null : new ClusterPolicyReportWriter(client, logger) { MaxResults = settings.MaxReportResults };

    public LatestComplianceReport Latest { get; } = new();

    /// <summary>cis-node-NODE; a name too long for an object (node names may use all 253 characters) ends in a hash instead.</summary>
    public static string ReportNameFor(string nodeName)
    {
        var name = "cis-node-" + nodeName;
        if (name.Length <= MaxNameLength) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nodeName)))[..16];
        return $"{name[..(MaxNameLength - 17)].TrimEnd('.', '-')}-{hash}";
    }

    /// <summary>The node role's one call: scans per its flags (--host-root, --compliance-interval, --cis-benchmark), serves
    /// the JSON at <see cref="LatestComplianceReport.Path"/>, publishes the report through <paramref name="client"/> if any.</summary>
    public static Task RunForRoleAsync(Hosting.Roles.RoleContext context, KubeClient? client, string nodeName, CancellationToken stopping)
    {
        var options = context.Options;
        var scan = new NodeComplianceScan(client, nodeName, new HostRoot(options.GetString(Hosting.CommandLine.Flags.HostRoot) ?? "/"),
            ComplianceFlags.Read(options), context.Metrics, context.LoggerFactory.CreateLogger("compliance"));
        context.Documents.Register(LatestComplianceReport.Path, LatestComplianceReport.ContentType, () => scan.Latest.Json);
        return scan.RunAsync(stopping);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (settings.Interval <= TimeSpan.Zero)
        {
            logger.LogInformation("CIS node scans are off (--compliance-interval 0)");
            return;
        }
        logger.LogInformation("CIS node scans of {Root} every {Interval}, report {Report}", root.Directory, settings.Interval,
            _writer is null ? "not published (--kubeconfig none)" : ReportNameFor(nodeName));
        try
        {
            await new ScanLoop(settings).RunAsync(ScanOnceAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    internal async Task<bool> ScanOnceAsync(string trigger, CancellationToken cancellationToken)
    {
        try
        {
            await _metrics.RecordAsync(Scope, trigger, () => ScanAsync(cancellationToken), wrote => wrote ? "written" : "unchanged").ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or InvalidOperationException or KubeResponseFormatException or UnauthorizedAccessException)
        {
            logger.LogError("CIS node scan ({Trigger}) failed, next try in {Retry}: {Reason}", trigger, settings.RetryAfterError, e.Message);
            return false;
        }
    }

    private async Task<bool> ScanAsync(CancellationToken cancellationToken)
    {
        var now = settings.TimeProvider.GetUtcNow();
        var report = new CisScanner(root, settings.Benchmark, settings.TimeProvider).Scan();
        // The report names the node, not the agent's mount point of it.
        report = new CisReport
        {
            Benchmark = report.Benchmark, Host = nodeName.Length > 0 ? nodeName : report.Host, GeneratedAt = report.GeneratedAt,
            Results = report.Results, NotApplicable = report.NotApplicable, Summary = report.Summary,
        };
        _metrics.Results(Scope, report);
        Latest.Set(report);
        if (_writer is null) return false;
        var desired = ClusterPolicyReportBuilder.Build(ReportNameFor(nodeName), [report], now);
        desired.Metadata.Labels![NodeLabel] = NodeLabelValue(nodeName);
        desired.Scope = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName };
        return await _writer.WriteAsync(desired, cancellationToken).ConfigureAwait(false);
    }

    // A label value is at most 63 characters; longer node names are cut (the report name stays exact).
    private static string NodeLabelValue(string nodeName) => nodeName.Length <= 63 ? nodeName : nodeName[..63].TrimEnd('.', '-', '_');
}
