using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Remediation;

namespace SecurityOperator.Compliance.Scans;

/// <summary>How the roles run the compliance scans (from the flags; Flags.cs says where each default comes from).</summary>
public sealed record ComplianceSettings
{
    /// <summary>--compliance-interval: time between two scheduled scans; zero turns scheduled scans off (requests still work).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>--cis-benchmark.</summary>
    public CisBenchmarkVersion Benchmark { get; init; } = CisBenchmarkVersions.Latest;

    /// <summary>--compliance-remediation (dry-run: issue 7, "opt-in and dry-run by default").</summary>
    public RemediationMode Remediation { get; init; } = RemediationMode.DryRun;

    /// <summary>--compliance-remove-bindings.</summary>
    public BindingAllowList RemovableBindings { get; init; } = BindingAllowList.Empty;

    /// <summary>The Namespace whose annotation requests a scan: the operator's own (the controller's namespace).</summary>
    public string TriggerNamespace { get; init; } = "security-operator";

    /// <summary>Namespaces the section 5 pod/NetworkPolicy checks and remediation skip (ClusterPolicyScanOptions' default: kube-system).</summary>
    public IReadOnlySet<string> SkipNamespaces { get; init; } = new Rbac.ClusterPolicyScanOptions().SkipNamespaces;

    /// <summary>--report-max-results: results one ClusterPolicyReport lists at most.</summary>
    public int MaxReportResults { get; init; } = 500;

    /// <summary>After a failed scan (API unreachable, conflict) the next try comes this much later: a minute keeps a broken
    /// API server from being hammered while a transient error heals long before the next scheduled scan.</summary>
    public TimeSpan RetryAfterError { get; init; } = TimeSpan.FromMinutes(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
