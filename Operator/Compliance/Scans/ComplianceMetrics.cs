using System.Diagnostics;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Compliance.Scans;

/// <summary>Metrics of the compliance scans. Scope: "cluster" (section 5, controller) or "node" (sections 1, 2, 4).</summary>
public sealed class ComplianceMetrics(MetricsRegistry registry)
{
    private static readonly CheckStatus[] Statuses = Enum.GetValues<CheckStatus>();

    private readonly Counter _scans = registry.CreateCounter("security_operator_compliance_scans_total",
        "Compliance scans by scope (cluster, node), trigger (startup, schedule, request) and result (written, unchanged, error).", "scope", "trigger", "result");
    private readonly Histogram _duration = registry.CreateHistogram("security_operator_compliance_scan_duration_seconds",
        "Duration of one compliance scan (listing or reading, checks, remediation, report write) by scope.", Histogram.DefaultBuckets, "scope");
    private readonly Gauge _results = registry.CreateGauge("security_operator_compliance_results",
        "Checks of the latest scan by scope and status (PASS, FAIL, WARN, MANUAL, ERROR).", "scope", "status");
    private readonly Counter _actions = registry.CreateCounter("security_operator_compliance_remediation_actions_total",
        "Remediation actions by action (disable-automount, delete-binding) and outcome (planned, applied, failed, refused).", "action", "outcome");

    public async Task<T> RecordAsync<T>(string scope, string trigger, Func<Task<T>> scan, Func<T, string> result)
    {
        var start = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var value = await scan().ConfigureAwait(false);
            outcome = result(value);
            return value;
        }
        finally
        {
            _duration.WithLabels(scope).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            _scans.WithLabels(scope, trigger, outcome).Inc();
        }
    }

    public void Results(string scope, CisReport report)
    {
        foreach (var status in Statuses)
            _results.WithLabels(scope, CheckStatusNames.Of(status)).Set(report.Results.Count(r => r.Status == status));
    }

    public void Actions(IEnumerable<RemediationAction> actions)
    {
        foreach (var action in actions) _actions.WithLabels(action.Action, action.Outcome).Inc();
    }
}
