using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Compliance.Scans;

/// <summary>The compliance settings of a role from its flags (validated by the parser already).</summary>
public static class ComplianceFlags
{
    /// <param name="triggerNamespace">The controller's own namespace (the one the request annotation is read from).</param>
    public static ComplianceSettings Read(OperatorOptions options, string? triggerNamespace = null)
    {
        CisBenchmarkVersions.TryParse(options.GetString(Flags.CisBenchmark) ?? "", out var benchmark);
        var settings = new ComplianceSettings
        {
            Interval = options.GetDuration(Flags.ComplianceInterval),
            Benchmark = benchmark,
            MaxReportResults = options.GetInt(Flags.ReportMaxResults),
        };
        if (options.Role != Flags.Controller) return settings;
        RemediationModes.TryParse(options.GetString(Flags.ComplianceRemediation) ?? "", out var mode);
        return settings with
        {
            Remediation = mode,
            RemovableBindings = BindingAllowList.Parse(options.GetList(Flags.ComplianceRemoveBindings)),
            TriggerNamespace = triggerNamespace is { Length: > 0 } ? triggerNamespace : settings.TriggerNamespace,
        };
    }
}
