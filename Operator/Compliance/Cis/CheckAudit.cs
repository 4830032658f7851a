namespace SecurityOperator.Compliance.Cis;

/// <summary>How a check is audited on a host. A closed set: settings of a component, the mode or the owner of files,
/// or nothing automatic (a person decides).</summary>
public abstract record CheckAudit;

/// <summary>Tests on the settings of <paramref name="Component"/>; all must hold (<paramref name="AnyHolds"/> false) or
/// one of them (true).</summary>
public sealed record SettingsAudit(KubeComponent Component, SettingTest[] Tests, bool AnyHolds = false) : CheckAudit;

/// <summary>Permission bits of every target file must be within <paramref name="MaxMode"/> ("600 or more restrictive":
/// no bit outside 0600). <paramref name="OptionalFile"/>: the benchmark says "if the file exists", so none is a pass.</summary>
public sealed record FileModeAudit(KubeComponent Component, FileTarget Target, int MaxMode, bool OptionalFile = false) : CheckAudit;

/// <summary>Every target file must be owned by <paramref name="User"/>:<paramref name="Group"/> (names resolved in the
/// host's /etc/passwd and /etc/group; root is uid/gid 0).</summary>
public sealed record FileOwnerAudit(KubeComponent Component, FileTarget Target, string User, string Group, bool OptionalFile = false) : CheckAudit;

/// <summary>Nothing can be read automatically; <paramref name="Component"/> still decides whether the check applies.</summary>
public sealed record ManualAudit(KubeComponent Component, string WhatToReview) : CheckAudit;
