namespace SecurityOperator.Compliance.Cis;

/// <summary>One benchmark recommendation as data: id and title as the benchmark numbers them, profile level (1 or 2),
/// whether the benchmark marks it Automated (scored) or Manual, how to audit it, and the remediation in our words.</summary>
public sealed record CisCheck(string Id, string Title, int Level, bool Automated, CheckAudit Audit, string Remediation)
{
    /// <summary>"1.2" for 1.2.3, "2" for 2.1: the group the benchmark lists the check under.</summary>
    public string Section => Id.Split('.') is { Length: > 2 } parts ? $"{parts[0]}.{parts[1]}" : Id.Split('.')[0];

    public KubeComponent Component => Audit switch
    {
        SettingsAudit a => a.Component,
        FileModeAudit a => a.Component,
        FileOwnerAudit a => a.Component,
        ManualAudit a => a.Component,
        _ => throw new InvalidOperationException($"check {Id}: unknown audit {Audit.GetType().Name}"),
    };

    /// <summary>What the audit expects, in one line (shown in reports).</summary>
    public string Expected => Audit switch
    {
        SettingsAudit a => string.Join(a.AnyHolds ? " or " : " and ", a.Tests.Select(t => t.Describe())),
        FileModeAudit a => $"mode of {a.Target.Describe()} is {Convert.ToString(a.MaxMode, 8)} or more restrictive",
        FileOwnerAudit a => $"{a.Target.Describe()} owned by {a.User}:{a.Group}",
        ManualAudit a => a.WhatToReview,
        _ => "",
    };
}
