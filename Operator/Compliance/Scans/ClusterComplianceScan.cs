using Microsoft.Extensions.Logging;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Compliance.Reports;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Scans;

/// <summary>The controller's section 5 scan (leader only): lists RBAC, ServiceAccounts, namespaces, NetworkPolicies and
/// pods, runs the checks, plans or applies remediation, and keeps the ClusterPolicyReport <see cref="ReportName"/> and
/// the JSON document current. Runs at start, every <see cref="ComplianceSettings.Interval"/>, and when the annotation
/// <see cref="RequestAnnotation"/> on the operator's Namespace takes a value not handled yet. The handled value is stored
/// on the report (<see cref="HandledAnnotation"/>), so a restarted or new leader does not repeat a request.</summary>
public sealed class ClusterComplianceScan
{
    public const string ReportName = "cis-cluster";
    public const string Scope = "cluster";
    public const string RequestAnnotation = "security.io/compliance-scan-requested";
    public const string HandledAnnotation = "security.io/compliance-scan-handled";

    private readonly KubeClient _client;
    private readonly SharedInformer<Namespace> _namespaces;
    private readonly ComplianceSettings _settings;
    private readonly ComplianceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ClusterPolicyReportWriter _writer;
    private readonly ComplianceRemediator _remediator;
    private readonly ScanLoop _loop;
    private readonly CachedPods? _cachedPods;
    private string? _handled;

    /// <param name="cachedPods">Where the pods come from when the caller keeps them in a synced cache (the scan then
    /// lists no pods); null: listed page by page from the API.</param>
    public ClusterComplianceScan(KubeClient client, SharedInformer<Namespace> namespaces, ComplianceSettings settings, MetricsRegistry metrics, ILoggerFactory loggers,
        CachedPods? cachedPods = null)
    {
        _client = client;
        _cachedPods = cachedPods;
        _namespaces = namespaces;
        _settings = settings;
        _metrics = new ComplianceMetrics(metrics);
        _logger = loggers.CreateLogger("compliance");
        _writer = new ClusterPolicyReportWriter(client, _logger) { MaxResults = settings.MaxReportResults };
        _remediator = new ComplianceRemediator(client, settings.Remediation, settings.RemovableBindings, settings.SkipNamespaces, _logger);
        _loop = new ScanLoop(settings, () => Requested() is { } value && value != _handled);
        namespaces.AddEventHandler(new ResourceEventHandler<Namespace>(
            onAdd: n => { if (n.Metadata.Name == settings.TriggerNamespace) _loop.Wake(); },
            onUpdate: (_, n) => { if (n.Metadata.Name == settings.TriggerNamespace) _loop.Wake(); },
            onDelete: null));
    }

    /// <summary>The newest report as JSON (null until the first scan on this replica).</summary>
    public LatestComplianceReport Latest { get; } = new();

    /// <summary>The leader's loop; returns when <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _handled = (await _writer.GetAsync(ReportName, cancellationToken).ConfigureAwait(false))?.Metadata.Annotations?.GetValueOrDefault(HandledAnnotation);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            // Unknown: a pending request is then scanned once more rather than skipped.
            _logger.LogWarning("Compliance: cannot read ClusterPolicyReport {Name} for the last handled request: {Reason}", ReportName, e.Message);
        }
        _logger.LogInformation("Compliance scans: every {Interval} (0: only on request), on request with annotation {Annotation} on Namespace {Namespace}, remediation {Mode}",
            _settings.Interval, RequestAnnotation, _settings.TriggerNamespace, RemediationModes.Name(_settings.Remediation));
        try
        {
            await _loop.RunAsync(ScanOnceAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One scan now; true when it finished (report written or unchanged).</summary>
    internal async Task<bool> ScanOnceAsync(string trigger, CancellationToken cancellationToken)
    {
        var request = Requested();
        try
        {
            await _metrics.RecordAsync(Scope, trigger, () => ScanAsync(request, cancellationToken), wrote => wrote ? "written" : "unchanged").ConfigureAwait(false);
            _handled = request ?? _handled;
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or InvalidOperationException or KubeResponseFormatException)
        {
            _logger.LogError("Compliance scan ({Trigger}) failed, next try in {Retry}: {Reason}", trigger, _settings.RetryAfterError, e.Message);
            return false;
        }
    }

    private async Task<bool> ScanAsync(string? request, CancellationToken cancellationToken)
    {
        var loader = new ClusterObjectLoader(_client);
        var scanner = new ClusterPolicyScanner(new ClusterPolicyScanOptions { SkipNamespaces = _settings.SkipNamespaces });
        // Remediation reads no pods, so they are listed once, after it, and checked page by page (never all held).
        var objects = await loader.LoadWithoutPodsAsync(cancellationToken).ConfigureAwait(false);
        var actions = await _remediator.RunAsync(objects, cancellationToken).ConfigureAwait(false);
        // After changes the report shows the cluster as it is now, with the actions that made it so.
        if (actions.Any(a => a.Outcome == RemediationAction.Applied)) objects = await loader.LoadWithoutPodsAsync(cancellationToken).ConfigureAwait(false);
        var pods = scanner.CheckPods(objects.ServiceAccounts);
        // The controller's pod informer already holds every pod's JSON: listing 10,000 pods again decoded each one
        // into a typed pod and serialized it back (hundreds of MB allocated, pages promoted while in use), which
        // raised the controller's peak memory during its first pass (docs/controller.md, Scale).
        if (_cachedPods is not null) _cachedPods(pods.Check);
        else await loader.ForEachPodAsync(pods.Check, pods.Clear, cancellationToken).ConfigureAwait(false);
        var now = _settings.TimeProvider.GetUtcNow();
        var report = scanner.Scan(objects, pods, _settings.Benchmark, now);
        if (_settings.Remediation != RemediationMode.Off)
            report.Remediation = new RemediationReport { Mode = RemediationModes.Name(_settings.Remediation), Actions = actions };
        _metrics.Actions(actions);
        _metrics.Results(Scope, report);
        Latest.Set(report);

        var desired = ClusterPolicyReportBuilder.Build(ReportName, [report], now);
        if (report.Remediation is { } remediation) ClusterPolicyReportBuilder.AttachActions(desired, remediation);
        // Kept when the request annotation is removed, so putting the same value back does not count as a new request.
        if ((request ?? _handled) is { } handled)
        {
            desired.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
            desired.Metadata.Annotations[HandledAnnotation] = handled;
        }
        return await _writer.WriteAsync(desired, cancellationToken).ConfigureAwait(false);
    }

    private string? Requested() =>
        _namespaces.Get(_settings.TriggerNamespace)?.Metadata.Annotations?.GetValueOrDefault(RequestAnnotation) is { Length: > 0 } value ? value : null;
}
