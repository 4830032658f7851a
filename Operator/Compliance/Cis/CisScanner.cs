namespace SecurityOperator.Compliance.Cis;

/// <summary>Runs the node-side benchmark checks (sections 1, 2, 4) against a host file tree. Checks of a component
/// that is not on this host are listed as not applicable instead of failing. A manual check whose audit finds a
/// problem is WARN (a person must judge); a manual check with nothing to read is MANUAL.</summary>
public sealed class CisScanner
{
    private readonly HostRoot _root;
    private readonly CisBenchmarkVersion _version;
    private readonly TimeProvider _time;

    public CisScanner(HostRoot root, CisBenchmarkVersion version, TimeProvider? time = null)
    {
        _root = root;
        _version = version;
        _time = time ?? TimeProvider.System;
    }

    public CisReport Scan() => Scan(CisCatalog.For(_version));

    public CisReport Scan(IReadOnlyList<CisCheck> checks)
    {
        var locator = new ComponentLocator(_root);
        var files = new FileAuditor(_root, locator);
        var results = new List<CisCheckResult>();
        var notApplicable = new Dictionary<KubeComponent, CisNotApplicable>();
        var summary = new CisSummary();
        foreach (var check in checks)
        {
            var state = locator.Find(check.Component);
            if (!state.Present)
            {
                if (!notApplicable.TryGetValue(check.Component, out var entry))
                    notApplicable[check.Component] = entry = new CisNotApplicable { Component = check.Component.Name, Reason = state.Flags.Source, Checks = [] };
                entry.Checks.Add(check.Id);
                continue;
            }
            var (status, evidence) = Evaluate(check, state, files);
            summary.Count(status);
            results.Add(new CisCheckResult
            {
                Id = check.Id, Title = check.Title, Section = check.Section, Level = check.Level, Automated = check.Automated,
                Component = check.Component.Name, Status = status, Expected = check.Expected, Evidence = evidence,
                Remediation = check.Remediation,
            });
        }
        return new CisReport
        {
            Benchmark = CisBenchmarkVersions.Name(_version), Host = _root.Directory, GeneratedAt = _time.GetUtcNow(),
            Results = results, NotApplicable = [.. notApplicable.Values], Summary = summary,
        };
    }

    private static (CheckStatus, List<string>) Evaluate(CisCheck check, ComponentState state, FileAuditor files)
    {
        switch (check.Audit)
        {
            case ManualAudit manual:
                return (CheckStatus.Manual, [$"review: {manual.WhatToReview}"]);
            case SettingsAudit settings:
            {
                if (state.Error is not null) return (CheckStatus.Error, [state.Error]);
                var evidence = new List<string>();
                var any = false;
                var all = true;
                foreach (var test in settings.Tests)
                {
                    var (holds, line) = SettingComparison.Evaluate(test, state);
                    any |= holds;
                    all &= holds;
                    if (!evidence.Contains(line)) evidence.Add(line);
                }
                return (Outcome(check, settings.AnyHolds ? any : all), evidence);
            }
            case FileModeAudit mode:
            {
                var (forced, holds, evidence) = files.Audit(mode);
                return (forced ?? Outcome(check, holds), evidence);
            }
            case FileOwnerAudit owner:
            {
                var (forced, holds, evidence) = files.Audit(owner);
                return (forced ?? Outcome(check, holds), evidence);
            }
            default:
                return (CheckStatus.Error, [$"unknown audit {check.Audit.GetType().Name}"]);
        }
    }

    private static CheckStatus Outcome(CisCheck check, bool holds) =>
        holds ? CheckStatus.Pass : check.Automated ? CheckStatus.Fail : CheckStatus.Warn;
}
