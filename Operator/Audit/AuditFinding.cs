namespace SecurityOperator.Audit;

/// <summary>The actions a finding can carry, as written in policies (spec.rules[].actions / enforcementMode).</summary>
public static class AuditActions
{
    public const string Deny = "deny";
    public const string Warn = "warn";
    public const string Alert = "alert";
    public const string DryRun = "dryrun";

    /// <summary>Display and sort order: what blocks a deployment first.</summary>
    public static int Rank(string action) => action switch
    {
        Deny => 0,
        Warn => 1,
        Alert => 2,
        DryRun => 3,
        _ => 4,
    };
}

/// <summary>One rule violated by one workload (and, when the rule is about a container, that container).</summary>
/// <param name="Object">The manifest object the finding is about (file, line, kind, namespace, name).</param>
/// <param name="Policy">The policy's name (metadata.name of the SecurityPolicy, or the built-in set's name).</param>
/// <param name="Rule">The rule's name within the policy (or the Pod Security check id).</param>
/// <param name="Container">The offending container's name, or null for pod-level findings.</param>
/// <param name="Field">The JSON path of the offending field relative to the object, e.g.
/// "spec.template.spec.containers[0].securityContext.privileged", or null when no single field is at fault.</param>
/// <param name="Message">What is wrong, with the value found and the fix.</param>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="Severity">Free-form severity label from the policy ("high", "medium", ...).</param>
public sealed record AuditFinding(
    ManifestObject Object,
    string Policy,
    string Rule,
    string? Container,
    string? Field,
    string Message,
    string Action,
    string Severity)
{
    /// <summary>"policy/rule": the rule's identity across outputs (SARIF ruleId).</summary>
    public string RuleId => Policy + "/" + Rule;
}

/// <summary>Counts printed at the end of an audit.</summary>
/// <param name="ObjectsScanned">Objects read from all inputs (List items counted individually).</param>
/// <param name="WorkloadsEvaluated">Objects whose pod template was evaluated.</param>
/// <param name="Skipped">Objects that are not workloads (ConfigMap, Service...).</param>
/// <param name="FilesWithErrors">Inputs with at least one read or parse error.</param>
public sealed record AuditSummary(
    int ObjectsScanned,
    int WorkloadsEvaluated,
    int Skipped,
    int Deny,
    int Warn,
    int Alert,
    int DryRun,
    int FilesWithErrors)
{
    public int TotalFindings => Deny + Warn + Alert + DryRun;

    public static AuditSummary Create(int objectsScanned, int workloadsEvaluated, int skipped,
        IEnumerable<AuditFinding> findings, int filesWithErrors)
    {
        int deny = 0, warn = 0, alert = 0, dryRun = 0;
        foreach (AuditFinding finding in findings)
        {
            switch (finding.Action)
            {
                case AuditActions.Deny: deny++; break;
                case AuditActions.Warn: warn++; break;
                case AuditActions.Alert: alert++; break;
                case AuditActions.DryRun: dryRun++; break;
            }
        }

        return new AuditSummary(objectsScanned, workloadsEvaluated, skipped, deny, warn, alert, dryRun, filesWithErrors);
    }
}

/// <summary>Everything a formatter renders: findings in evaluation order, the summary, and the read errors (which the
/// formatters report too, so a caller does not print them twice).</summary>
public sealed record AuditReport(IReadOnlyList<AuditFinding> Findings, AuditSummary Summary, IReadOnlyList<ManifestError> Errors);
