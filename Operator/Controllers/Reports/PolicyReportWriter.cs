using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Reports;

/// <summary>Keeps one PolicyReport per namespace (named <see cref="ReportName"/>) equal to the latest audit. Writes only
/// when the content differs from what is stored (so re-running an audit, a watch restart or a controller restart writes
/// nothing), creating the report or replacing it with a conditional PUT (409 on a concurrent change: the caller retries).</summary>
public sealed class PolicyReportWriter
{
    public const string ReportName = "security-operator";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "security-operator";

    private readonly KubeClient _client;
    private readonly SharedInformer<PolicyReport> _reports;
    private readonly PolicyReportBuilder _builder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Our own last write per namespace: the informer may not have seen it yet when the next audit of the namespace runs.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PolicyReport> _written = new(StringComparer.Ordinal);

    public PolicyReportWriter(KubeClient client, SharedInformer<PolicyReport> reports, PolicyReportBuilder builder, TimeProvider? time = null, ILogger? logger = null)
    {
        _client = client;
        _reports = reports;
        _builder = builder;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        // Once the informer holds our write (or something newer), Newest picks the informer's copy: ours is then only a
        // second copy of every result (3,900 results held twice at 10,000 pods).
        reports.AddEventHandler(new ResourceEventHandler<PolicyReport>(Seen, (_, cached) => Seen(cached)));
    }

    /// <summary>Namespaces whose last write is kept here because the informer has not shown it yet.</summary>
    internal int WrittenCopies => _written.Count;

    private void Seen(PolicyReport cached)
    {
        if (cached.Metadata.Namespace is not { } ns || !_written.TryGetValue(ns, out var written)) return;
        if (cached.Metadata.Name == ReportName && written.Metadata.Uid == cached.Metadata.Uid && Rv(written) <= Rv(cached))
            _written.TryRemove(KeyValuePair.Create(ns, written));
    }

    /// <summary>The informer over the reports this controller manages (label app.kubernetes.io/managed-by=security-operator).</summary>
    public static SharedInformer<PolicyReport> CreateInformer(KubeClient client, Hosting.Metrics.MetricsRegistry metrics, Kube.Watch.WatcherOptions? watcher = null) =>
        new(new KubeListerWatcher<PolicyReport>(client, KubeResource.PolicyReports, null, KubeJsonContext.Default.PolicyReport,
                KubeJsonContext.Default.KubeListPolicyReport, labelSelector: $"{ManagedByLabel}={ManagedByValue}"),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new Kube.Watch.WatcherOptions()) with { ResourceName = KubeResource.PolicyReports.Plural } });

    /// <summary>Brings the namespace's report in line with <paramref name="audit"/>. True when something was written.</summary>
    public Task<bool> WriteAsync(NamespaceAudit audit, CancellationToken cancellationToken) => WriteAsync(audit, adoptExisting: true, cancellationToken);

    private async Task<bool> WriteAsync(NamespaceAudit audit, bool adoptExisting, CancellationToken cancellationToken)
    {
        var ns = audit.Namespace;
        var existing = Newest(_reports.Get(ns, ReportName), _written.GetValueOrDefault(ns));
        // A namespace without audited objects gets no report; one that had a report gets it emptied.
        if (existing is null && audit.Units.Count == 0) return false;
        var content = _builder.Build(audit, existing?.Results, _time.GetUtcNow());
        if (existing is not null && SameContent(existing, content)) return false;

        var report = existing ?? new PolicyReport { Metadata = new ObjectMeta { Name = ReportName, Namespace = ns } };
        report.Metadata.Labels ??= new Dictionary<string, string>();
        report.Metadata.Labels[ManagedByLabel] = ManagedByValue;
        report.Metadata.Annotations ??= new Dictionary<string, string>();
        if (content.Truncated is null) report.Metadata.Annotations.Remove(PolicyReportBuilder.TruncatedAnnotation);
        else report.Metadata.Annotations[PolicyReportBuilder.TruncatedAnnotation] = content.Truncated;
        if (report.Metadata.Annotations.Count == 0) report.Metadata.Annotations = null;
        report.Results = content.Results;
        report.Summary = content.Summary;

        PolicyReport written;
        try
        {
            written = existing is null
                ? await _client.CreateAsync(KubeResource.PolicyReports, ns, report, KubeJsonContext.Default.PolicyReport, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _client.ReplaceAsync(KubeResource.PolicyReports, ns, report, KubeJsonContext.Default.PolicyReport, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeAlreadyExistsException) when (existing is null && adoptExisting)
        {
            // Created by another writer (e.g. the previous leader) before our cache saw it: take the stored report as
            // the starting point and compare again, rather than fail and wait for a retry.
            _written[ns] = await _client.GetAsync(KubeResource.PolicyReports, ns, ReportName, KubeJsonContext.Default.PolicyReport,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return await WriteAsync(audit, adoptExisting: false, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e is KubeNotFoundException or KubeConflictException or KubeAlreadyExistsException)
        {
            // Deleted or changed by someone else meanwhile: forget our copy so the retry starts from the informer's view.
            _written.TryRemove(ns, out _);
            throw;
        }
        _written[ns] = written;
        if (_reports.Get(ns, ReportName) is { } seen) Seen(seen); // the informer may have shown it before the response arrived
        _logger.LogDebug("PolicyReport {Namespace}/{Name}: {Fail} fail, {Warn} warn, {Pass} pass", ns, ReportName,
            content.Summary.Fail, content.Summary.Warn, content.Summary.Pass);
        return true;
    }

    public void Forget(string @namespace) => _written.TryRemove(@namespace, out _);

    private static bool SameContent(PolicyReport existing, ReportContent content)
    {
        var annotation = existing.Metadata.Annotations?.GetValueOrDefault(PolicyReportBuilder.TruncatedAnnotation);
        if (annotation != content.Truncated || existing.Metadata.Labels?.GetValueOrDefault(ManagedByLabel) != ManagedByValue) return false;
        return Canonical(existing.Results ?? [], existing.Summary ?? new()).AsSpan().SequenceEqual(Canonical(content.Results, content.Summary));
    }

    // The API server returns a custom resource's map keys sorted (crd-02): compare with properties in ordinal order.
    private static byte[] Canonical(List<PolicyReportResult> results, PolicyReportSummary summary)
    {
        var copy = results.Select(r => new PolicyReportResult
        {
            Source = r.Source, Policy = r.Policy, Rule = r.Rule, Category = r.Category, Result = r.Result, Severity = r.Severity,
            Message = r.Message, Scored = r.Scored, Resources = r.Resources, Timestamp = r.Timestamp,
            Properties = r.Properties?.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
        }).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(new PolicyReport { Metadata = new(), Results = copy, Summary = summary }, KubeJsonContext.Default.PolicyReport);
    }

    private static PolicyReport? Newest(PolicyReport? cached, PolicyReport? written)
    {
        if (cached is null) return written is not null && written.Metadata.Uid is not null ? written : null;
        if (written is null || written.Metadata.Uid != cached.Metadata.Uid) return cached;
        return Rv(written) > Rv(cached) ? written : cached;
    }

    private static long Rv(PolicyReport report) =>
        long.TryParse(report.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}
