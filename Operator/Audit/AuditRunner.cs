namespace SecurityOperator.Audit;

/// <summary>Evaluates the pod template of one workload. The policy engine plugs in here; the runner does the walking,
/// the counting and the error handling around it.</summary>
/// <param name="workload">The object being audited (for names and locations in findings).</param>
/// <param name="template">The pod template's bytes: the object itself for a Pod, spec.template etc. otherwise.</param>
public delegate IEnumerable<AuditFinding> WorkloadEvaluator(ManifestObject workload, ReadOnlyMemory<byte> template);

/// <summary>The offline audit's main loop: every object read is either evaluated through its pod template or skipped
/// (not a workload); a workload without a usable template is an error, as the API server would reject it.</summary>
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
            TemplateLocation location = WorkloadTemplates.Locate(obj.Kind, obj.Json);
            switch (location.Status)
            {
                case TemplateStatus.Found:
                    evaluated++;
                    findings.AddRange(evaluate(obj, obj.Json.AsMemory(location.Offset, location.Length)));
                    break;
                case TemplateStatus.NotAWorkload:
                    skipped++;
                    break;
                default:
                    errors.Add(new ManifestError(obj.SourceFile, obj.Line, 1, $"{obj.Kind} {AuditTableFormatter.ObjectName(obj)} has no pod template object ({TemplatePath(obj.Kind)})"));
                    break;
            }
        }

        int filesWithErrors = errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();
        var summary = AuditSummary.Create(input.Objects.Count, evaluated, skipped, findings, filesWithErrors);
        return new AuditReport(findings, summary, errors);
    }

    /// <summary>The documented exit status: 2 when any input could not be read (even if other findings exist, so CI
    /// never passes on a manifest it did not check), else 1 when something would be denied, else 0.</summary>
    public static int ExitCode(AuditReport report) =>
        report.Errors.Count > 0 ? 2 : report.Summary.Deny > 0 ? 1 : 0;

    private static string TemplatePath(string kind) => kind == "CronJob" ? "spec.jobTemplate.spec.template" : "spec.template";
}
