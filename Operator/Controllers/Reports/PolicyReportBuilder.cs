using System.Globalization;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Reports;

/// <summary>Turns a namespace's audit into the content of its wgpolicyk8s.io/v1alpha2 PolicyReport: one result per
/// distinct finding of a workload (replica pods folded into their workload), failures and warnings only (passes are
/// counted in the summary), at most <see cref="MaxResults"/> results, most severe first. A result that was already in
/// the report keeps its timestamp, so an unchanged audit produces an identical report (and no write).</summary>
public sealed class PolicyReportBuilder(int maxResults)
{
    public const string Source = "security-operator";

    /// <summary>Annotation on a report whose results were cut: "shown N of M results".</summary>
    public const string TruncatedAnnotation = "security.io/truncated";

    public int MaxResults { get; } = maxResults > 0 ? maxResults : throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "must be positive");

    public ReportContent Build(NamespaceAudit audit, IReadOnlyList<PolicyReportResult>? existing, DateTimeOffset now)
    {
        var previous = new Dictionary<string, ProtobufTimestamp>(StringComparer.Ordinal);
        foreach (var r in existing ?? []) if (r.Timestamp is not null) previous.TryAdd(Identity(r), r.Timestamp);

        var results = new List<PolicyReportResult>();
        var summary = new PolicyReportSummary();
        foreach (var unit in audit.Units)
        {
            summary.Pass += unit.PassedRules;
            summary.Error += unit.Errors;
            foreach (var finding in unit.Findings)
            {
                var result = ResultOf(unit, finding);
                result.Timestamp = previous.GetValueOrDefault(Identity(result)) ?? ProtobufTimestamp.From(now);
                results.Add(result);
                if (finding.Result == "fail") summary.Fail++; else summary.Warn++;
            }
        }
        results.Sort(Compare);
        string? truncated = null;
        if (results.Count > MaxResults)
        {
            truncated = string.Create(CultureInfo.InvariantCulture,
                $"shown {MaxResults} of {results.Count} results (most severe first); the summary counts all of them");
            results.RemoveRange(MaxResults, results.Count - MaxResults);
        }
        return new ReportContent(results, summary, truncated);
    }

    private static PolicyReportResult ResultOf(UnitAudit unit, AuditFindingKey f)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["policyKind"] = f.Policy.Kind,
            ["condition"] = f.Condition,
            ["field"] = f.FieldPath,
            ["disposition"] = f.Disposition.ToString().ToLowerInvariant(),
        };
        if (f.Container is not null) properties["container"] = f.Container;
        if (unit.Pods > 0 && unit.Unit.Kind != "Pod")
            properties["violatingPods"] = unit.ViolatingPods.ToString(CultureInfo.InvariantCulture);
        return new PolicyReportResult
        {
            Source = Source,
            Policy = f.Policy.IsCluster ? f.Policy.Name : $"{f.Policy.Namespace}/{f.Policy.Name}",
            Rule = f.Rule,
            Category = f.Condition.StartsWith("podSecurity/", StringComparison.Ordinal) ? "Pod Security Standards" : "security-operator",
            Result = f.Result,
            Severity = f.Severity,
            Message = f.Message,
            Scored = true,
            Resources =
            [
                new ObjectReference
                {
                    ApiVersion = unit.Unit.ApiVersion, Kind = unit.Unit.Kind, Namespace = unit.Unit.Namespace, Name = unit.Unit.Name, Uid = unit.Unit.Uid,
                },
            ],
            Properties = properties,
        };
    }

    /// <summary>What makes two results the same finding (for keeping the first-seen timestamp).</summary>
    private static string Identity(PolicyReportResult r)
    {
        var resource = r.Resources is { Count: > 0 } list ? $"{list[0].Kind}/{list[0].Name}/{list[0].Uid}" : "";
        var container = r.Properties?.GetValueOrDefault("container");
        var field = r.Properties?.GetValueOrDefault("field");
        return $"{r.Policy}\n{r.Rule}\n{resource}\n{container}\n{field}\n{r.Message}";
    }

    private static int Rank(string? severity) => severity switch { "critical" => 0, "high" => 1, "medium" => 2, "low" => 3, _ => 4 };

    private static int Compare(PolicyReportResult a, PolicyReportResult b)
    {
        var c = Rank(a.Severity).CompareTo(Rank(b.Severity));
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Result, b.Result);
        if (c != 0) return c;
        return string.CompareOrdinal(Identity(a), Identity(b));
    }
}

/// <summary>The generated part of a report: results, summary, and the truncation note (null when nothing was cut).</summary>
public sealed record ReportContent(List<PolicyReportResult> Results, PolicyReportSummary Summary, string? Truncated);
