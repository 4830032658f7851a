using SecurityOperator.Compliance.Cis;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance;

/// <summary>Turns CIS scan results into a wgpolicyk8s.io/v1alpha2 ClusterPolicyReport (source security-operator/cis):
/// one result per check, policy = benchmark edition, rule = check id; PASS/FAIL/WARN/ERROR map to the same results
/// and MANUAL to skip. Evidence, expectation and remediation go to properties (bounded: the report is one etcd object,
/// and etcd refuses objects above 1.5 MiB).</summary>
public static class ClusterPolicyReportBuilder
{
    public const string Source = "security-operator/cis";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by", ManagedByValue = "security-operator";

    /// <summary>Characters of evidence kept per result.</summary>
    public const int MaxEvidenceChars = 1024;

    public static ClusterPolicyReport Build(string name, IEnumerable<CisReport> reports, DateTimeOffset now)
    {
        var results = new List<PolicyReportResult>();
        var summary = new PolicyReportSummary();
        var timestamp = ProtobufTimestamp.From(now);
        foreach (var report in reports)
            foreach (var check in report.Results)
            {
                var result = ResultOf(check.Status);
                switch (result)
                {
                    case "pass": summary.Pass++; break;
                    case "fail": summary.Fail++; break;
                    case "warn": summary.Warn++; break;
                    case "error": summary.Error++; break;
                    default: summary.Skip++; break;
                }
                var properties = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["status"] = check.StatusName,
                    ["expected"] = check.Expected,
                    ["evidence"] = Truncate(string.Join("\n", check.Evidence)),
                    ["remediation"] = check.Remediation,
                    ["level"] = check.Level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["component"] = check.Component,
                };
                if (report.Host is not null) properties["host"] = report.Host;
                results.Add(new PolicyReportResult
                {
                    Source = Source, Policy = report.Benchmark, Rule = check.Id, Category = $"CIS {check.Section}",
                    Result = result, Severity = check.Status == CheckStatus.Fail ? "high" : check.Status == CheckStatus.Warn ? "medium" : "info",
                    Message = check.Title, Scored = check.Automated, Timestamp = timestamp, Properties = properties,
                });
            }
        return new ClusterPolicyReport
        {
            Metadata = new ObjectMeta { Name = name, Labels = new() { [ManagedByLabel] = ManagedByValue } },
            Summary = summary,
            Results = results,
        };
    }

    /// <summary>Property of a result listing the remediation actions for its check (planned, applied, failed, refused).</summary>
    public const string ActionsProperty = "remediation-actions";

    /// <summary>Annotation with the remediation mode of the scan (off, dry-run, apply).</summary>
    public const string RemediationModeAnnotation = "security.io/remediation-mode";

    /// <summary>Lists each action under the result of the check it answers (binding actions without an offending check go
    /// under 5.1.1), bounded like evidence, and records the mode as an annotation.</summary>
    public static void AttachActions(ClusterPolicyReport report, Remediation.RemediationReport remediation)
    {
        report.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        report.Metadata.Annotations[RemediationModeAnnotation] = remediation.Mode;
        foreach (var group in remediation.Actions.GroupBy(a => a.Check == "-" ? Rbac.ClusterPolicyChecks.ClusterAdmin.Id : a.Check))
            if (report.Results?.FirstOrDefault(r => r.Rule == group.Key) is { } result)
                (result.Properties ??= new Dictionary<string, string>(StringComparer.Ordinal))[ActionsProperty] = Truncate(string.Join("\n", group));
    }

    private static string ResultOf(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "fail",
        CheckStatus.Warn => "warn",
        CheckStatus.Error => "error",
        _ => "skip",
    };

    private static string Truncate(string text) =>
        text.Length <= MaxEvidenceChars ? text : text[..MaxEvidenceChars] + $"... ({text.Length - MaxEvidenceChars} more characters)";
}
