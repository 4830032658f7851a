using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Reports;

/// <summary>Keeps one ClusterPolicyReport equal to the desired content: reads the stored one, writes only when results,
/// summary, labels or the operator's own annotations differ (result timestamps are ignored, so an unchanged scan writes
/// nothing), creating it or replacing it conditionally (409 when someone changed it meanwhile: the next scan retries).
/// Bounded: at most <see cref="MaxResults"/> results and about <see cref="MaxBytes"/> of JSON, the most severe kept;
/// the summary still counts all and the annotation <see cref="TruncatedAnnotation"/> says what was dropped.
/// A report of the same name without the managed-by label belongs to someone else and is never overwritten.</summary>
public sealed class ClusterPolicyReportWriter(KubeClient client, ILogger? logger = null)
{
    public const string TruncatedAnnotation = "security.io/results-truncated";

    // 500 as for PolicyReports (--report-max-results, issue 5); 1 MiB stays below etcd's 1.5 MiB request limit with room for metadata.
    public int MaxResults { get; init; } = 500;
    public int MaxBytes { get; init; } = 1024 * 1024;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The stored report, or null when there is none.</summary>
    public async Task<ClusterPolicyReport?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync(KubeResource.ClusterPolicyReports, null, name, KubeJsonContext.Default.ClusterPolicyReport,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Brings the stored report in line with <paramref name="desired"/> (its name, labels, annotations, summary and
    /// results). True when something was written.</summary>
    public async Task<bool> WriteAsync(ClusterPolicyReport desired, CancellationToken cancellationToken)
    {
        var name = desired.Metadata.Name ?? throw new ArgumentException("the ClusterPolicyReport has no metadata.name", nameof(desired));
        Bound(desired);
        var existing = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Metadata.Labels?.GetValueOrDefault(ClusterPolicyReportBuilder.ManagedByLabel) != ClusterPolicyReportBuilder.ManagedByValue)
            throw new InvalidOperationException($"ClusterPolicyReport {name} exists without the label {ClusterPolicyReportBuilder.ManagedByLabel}={ClusterPolicyReportBuilder.ManagedByValue}: it is not this operator's, so it is left alone");
        if (existing is not null && SameContent(existing, desired)) return false;
        if (existing is null)
        {
            await client.CreateAsync(KubeResource.ClusterPolicyReports, null, desired, KubeJsonContext.Default.ClusterPolicyReport,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Keep what others added (labels, annotations), replace what is ours.
            existing.Metadata.Labels![ClusterPolicyReportBuilder.ManagedByLabel] = ClusterPolicyReportBuilder.ManagedByValue;
            existing.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in OwnAnnotationKeys(existing, desired)) existing.Metadata.Annotations.Remove(key);
            foreach (var (key, value) in desired.Metadata.Annotations ?? []) existing.Metadata.Annotations[key] = value;
            if (existing.Metadata.Annotations.Count == 0) existing.Metadata.Annotations = null;
            existing.Summary = desired.Summary;
            existing.Results = desired.Results;
            existing.Scope = desired.Scope;
            await client.ReplaceAsync(KubeResource.ClusterPolicyReports, null, existing, KubeJsonContext.Default.ClusterPolicyReport,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        _logger.LogInformation("ClusterPolicyReport {Name} written: {Fail} fail, {Warn} warn, {Pass} pass, {Error} error, {Skip} skip", name,
            desired.Summary?.Fail ?? 0, desired.Summary?.Warn ?? 0, desired.Summary?.Pass ?? 0, desired.Summary?.Error ?? 0, desired.Summary?.Skip ?? 0);
        return true;
    }

    /// <summary>Drops the least severe results beyond the bounds (fail, error, warn, skip, pass in that order of keeping).</summary>
    internal void Bound(ClusterPolicyReport report)
    {
        var results = report.Results ?? [];
        var total = results.Count;
        var kept = results.Count <= MaxResults ? results : results.OrderBy(r => Rank(r.Result)).Take(MaxResults).ToList();
        while (kept.Count > 0 && JsonSerializer.SerializeToUtf8Bytes(kept, KubeJsonContext.Default.ListPolicyReportResult).Length > MaxBytes)
            kept = kept.OrderBy(r => Rank(r.Result)).Take(kept.Count * 9 / 10).ToList();
        if (kept.Count == total) return;
        report.Results = results.Where(kept.Contains).ToList();   // the original order (by check id) for people reading it
        report.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        report.Metadata.Annotations[TruncatedAnnotation] = $"{total - kept.Count} of {total} results left out (the summary counts all)";
        _logger.LogWarning("ClusterPolicyReport {Name}: {Dropped} of {Total} results left out to stay within {MaxResults} results and {MaxBytes} bytes",
            report.Metadata.Name, total - kept.Count, total, MaxResults, MaxBytes);
    }

    private static int Rank(string? result) => result switch { "fail" => 0, "error" => 1, "warn" => 2, "skip" => 3, _ => 4 };

    // Our annotations: the security.io/ ones, of either side.
    private static IEnumerable<string> OwnAnnotationKeys(ClusterPolicyReport existing, ClusterPolicyReport desired) =>
        (existing.Metadata.Annotations?.Keys ?? Enumerable.Empty<string>()).Concat(desired.Metadata.Annotations?.Keys ?? Enumerable.Empty<string>())
        .Where(k => k.StartsWith("security.io/", StringComparison.Ordinal)).ToList();

    private static bool SameContent(ClusterPolicyReport existing, ClusterPolicyReport desired)
    {
        var ours = OwnAnnotationKeys(existing, desired);
        foreach (var key in ours)
            if (existing.Metadata.Annotations?.GetValueOrDefault(key) != desired.Metadata.Annotations?.GetValueOrDefault(key)) return false;
        return Canonical(existing).AsSpan().SequenceEqual(Canonical(desired));
    }

    // The API server returns a custom resource's map keys sorted (crd-02): compare with properties in ordinal order,
    // and without timestamps (they say when a scan ran, not what it found).
    private static byte[] Canonical(ClusterPolicyReport report)
    {
        var results = (report.Results ?? []).Select(r => new PolicyReportResult
        {
            Source = r.Source, Policy = r.Policy, Rule = r.Rule, Category = r.Category, Result = r.Result, Severity = r.Severity,
            Message = r.Message, Scored = r.Scored, Resources = r.Resources,
            Properties = r.Properties?.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
        }).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(new ClusterPolicyReport { Metadata = new(), Scope = report.Scope, Results = results, Summary = report.Summary ?? new() },
            KubeJsonContext.Default.ClusterPolicyReport);
    }
}
