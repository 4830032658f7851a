namespace SecurityOperator.Controllers;

/// <summary>What the controller role is configured with (from its flags; see Flags.cs for where each default comes from).</summary>
public sealed record ControllerSettings
{
    /// <summary>Results listed in one PolicyReport at most (--report-max-results).</summary>
    public int MaxReportResults { get; init; } = 500;

    /// <summary>Least time between two writes of the same report (--report-interval): changes in between are coalesced.</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two policy status writes that change only the counts (readiness changes are written at
    /// once). 5 s like the --report-interval default: counts are a summary, refreshed at the pace of the reports, so the
    /// first audit of a large cluster does not write every cluster-wide policy's status once per namespace.</summary>
    public TimeSpan StatusCountsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Parallel namespace audits.</summary>
    public int AuditWorkers { get; init; } = 2;

    /// <summary>Parallel policy status writers.</summary>
    public int StatusWorkers { get; init; } = 1;

    /// <summary>Evict running pods that violate enforce-mode deny rules (--enforce-existing); off: report only.</summary>
    public bool EnforceExisting { get; init; }

    /// <summary>When an eviction is refused without Retry-After (a PodDisruptionBudget, pods-11), try again after this.</summary>
    public TimeSpan EvictionRetry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>reportingInstance of the Events this process writes (the pod name in a cluster).</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>The notify action's HTTP sink (--notify-*); no URL: findings are not posted.</summary>
    public Notify.NotifySettings Notify { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The section 5 compliance scan (--compliance-*).</summary>
    public Compliance.Scans.ComplianceSettings Compliance { get; init; } = new();
}
