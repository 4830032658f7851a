using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

internal static class AuditReportSamples
{
    public static readonly ManifestObject Deployment =
        new("deploy/web.yaml", 12, "apps/v1", "Deployment", "prod", "web", "{}"u8.ToArray());

    public static readonly ManifestObject Pod =
        new("pods/debug pod.yaml", 1, "v1", "Pod", null, "debug", "{}"u8.ToArray());

    public static AuditReport Report(IReadOnlyList<ManifestError>? errors = null)
    {
        AuditFinding[] findings =
        [
            new(Deployment, "production", "resource-limits", "web", "spec.template.spec.containers[0].resources.limits",
                "container \"web\" has no memory limit; set resources.limits.memory", AuditActions.Warn, "medium"),
            new(Deployment, "production", "no-root-containers", "web", "spec.template.spec.containers[0].securityContext.runAsUser",
                "container \"web\" runs as UID 0;\nset runAsNonRoot: true", AuditActions.Deny, "high"),
            new(Pod, "pss-restricted", "hostNetwork", null, "spec.hostNetwork",
                "hostNetwork is true; remove it", AuditActions.Deny, "high"),
            new(Pod, "production", "trusted-registries", "shell", "spec.containers[0].image",
                "image \"busybox\" is not from a trusted registry", AuditActions.Alert, "medium"),
        ];
        errors ??= [];
        var summary = AuditSummary.Create(5, 2, 3, findings, errors.Select(e => e.File).Distinct().Count());
        return new AuditReport(findings, summary, errors);
    }
}
