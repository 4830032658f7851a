namespace SecurityOperator.Audit;

/// <summary>What evaluating one object gave: findings, "not a workload" (ConfigMap, Service...), or an error the API
/// server would also reject the object for (a Deployment without a pod template, a container that is not an object...).</summary>
public readonly record struct WorkloadEvaluation(WorkloadEvaluationStatus Status, IReadOnlyList<AuditFinding> Findings, string? Error)
{
    public static WorkloadEvaluation NotAWorkload { get; } = new(WorkloadEvaluationStatus.NotAWorkload, [], null);

    public static WorkloadEvaluation Evaluated(IReadOnlyList<AuditFinding> findings) => new(WorkloadEvaluationStatus.Evaluated, findings, null);

    public static WorkloadEvaluation Invalid(string error) => new(WorkloadEvaluationStatus.Invalid, [], error);
}

public enum WorkloadEvaluationStatus { Evaluated, NotAWorkload, Invalid }

/// <summary>Evaluates one object read from a manifest. The policy engine plugs in here (it locates the pod template
/// itself); the runner does the walking, the counting and the error handling around it.</summary>
public delegate WorkloadEvaluation WorkloadEvaluator(ManifestObject workload);

/// <summary>The offline audit's main loop: every object read is evaluated, skipped (not a workload), or reported as an
/// error with its file and line.</summary>
public static class AuditRunner
{
    public static AuditReport Run(ManifestReadResult input, WorkloadEvaluator evaluate)
    {
        var findings = new List<AuditFinding>();
        var errors = new List<ManifestError>(input.Errors);
        int evaluated = 0;
        int skipped = 0;
        foreach (ManifestObject obj in input.Objects)
        {
            WorkloadEvaluation result = evaluate(obj);
            switch (result.Status)
            {
                case WorkloadEvaluationStatus.Evaluated:
                    evaluated++;
                    findings.AddRange(result.Findings);
                    break;
                case WorkloadEvaluationStatus.NotAWorkload:
                    skipped++;
                    break;
                default:
                    errors.Add(new ManifestError(obj.SourceFile, obj.Line, 1,
                        $"{obj.Kind} {AuditTableFormatter.ObjectName(obj)}: {result.Error}"));
                    break;
            }
        }

        int filesWithErrors = errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();
        var summary = AuditSummary.Create(input.Objects.Count, evaluated, skipped, findings, filesWithErrors);
        return new AuditReport(findings, summary, errors);
    }

    /// <summary>The documented exit status: 2 when any input could not be read or evaluated (even if other findings
    /// exist, so CI never passes on a manifest it did not check), else 1 when something would be denied, else 0.</summary>
    public static int ExitCode(AuditReport report) =>
        report.Errors.Count > 0 ? 2 : report.Summary.Deny > 0 ? 1 : 0;
}
