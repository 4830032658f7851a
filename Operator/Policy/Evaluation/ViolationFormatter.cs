using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>A violation in words: which policy and rule, which workload and container, the field path from the
/// object's root (e.g. <c>spec.template.spec.containers[1].securityContext.runAsNonRoot</c>), the value found, what is
/// wrong and how to fix it. <see cref="Value"/> is the value found as JSON text (<c>"nginx"</c>, <c>0</c>, <c>true</c>), null
/// when the field is absent (the message then says what is missing).</summary>
public sealed record ReportedViolation(
    string Policy, string Rule, string Condition, Disposition Disposition, string Workload, string? Container,
    string FieldPath, string? Value, string Message, string Fix)
{
    /// <summary>One line: "policy/rule: Deployment web: container "app" (spec.template.spec.containers[0].image = "nginx"): message; fix: ...".</summary>
    public override string ToString()
    {
        var who = Container is null ? Workload : $"{Workload}: container \"{Container}\"";
        var where = Value is null ? FieldPath : $"{FieldPath} = {Value}";
        return $"{Policy}/{Rule}: {who} ({where}): {Message}; fix: {Fix}";
    }
}

/// <summary>Builds <see cref="ReportedViolation"/>s. Call it before the facts are reused by the next evaluation.</summary>
public static class ViolationFormatter
{
    /// <summary>The <see cref="ReportedViolation.Value"/> of a literal env value: credentials are never echoed.</summary>
    public const string RedactedValue = "<redacted>";

    public static ReportedViolation Format(in Violation violation, ReadOnlySpan<byte> objectJson, in EvaluationResult result,
        CompiledPolicySet policies, PodFacts facts)
    {
        var policy = policies.PolicyArray[violation.PolicyIndex];
        var rule = policy.RuleArray[violation.RuleIndex];
        var condition = rule.ConditionArray[violation.ConditionIndex];
        var (message, fix) = condition.Describe(violation, facts);
        string? container = null;
        if (violation.ContainerIndex >= 0) container = facts.String(facts.Containers[violation.ContainerIndex].Name);
        var key = condition is PodSecurityCondition pss ? $"podSecurity/{pss.CheckId(violation)}" : condition.Kind.Key();
        return new ReportedViolation(policy.DisplayName, rule.Name, key, ViolationDispositions.Of(violation, policies),
            result.Location.DisplayName(objectJson), container, FieldPath(violation, result.Location, facts, condition),
            Value(violation, facts), message, fix);
    }

    public static List<ReportedViolation> FormatAll(ViolationBuffer violations, ReadOnlySpan<byte> objectJson, in EvaluationResult result,
        CompiledPolicySet policies, PodFacts facts)
    {
        var list = new List<ReportedViolation>(violations.Count);
        foreach (ref readonly var v in violations.AsSpan()) list.Add(Format(v, objectJson, result, policies, facts));
        return list;
    }

    /// <summary>The field path from the object's root.</summary>
    public static string FieldPath(in Violation violation, in PodTemplateLocation location, PodFacts facts, Condition condition)
    {
        var prefix = location.PathPrefix;
        var containerPath = "";
        if (violation.ContainerIndex >= 0)
        {
            ref var c = ref facts.Containers[violation.ContainerIndex];
            containerPath = $"{prefix}spec.{c.Section.FieldName()}[{c.IndexInSection}]";
        }
        return violation.Field switch
        {
            FieldId.Image => $"{containerPath}.image",
            FieldId.RunAsUser => violation.Detail == RunAsRootCondition.FromPod ? $"{prefix}spec.securityContext.runAsUser" : $"{containerPath}.securityContext.runAsUser",
            FieldId.RunAsNonRoot => violation.Item == RunAsRootCondition.FromPod && violation.Detail == RunAsRootCondition.ExplicitNonRootFalse
                ? $"{prefix}spec.securityContext.runAsNonRoot" : $"{containerPath}.securityContext.runAsNonRoot",
            FieldId.Privileged => $"{containerPath}.securityContext.privileged",
            FieldId.AllowPrivilegeEscalation => $"{containerPath}.securityContext.allowPrivilegeEscalation",
            FieldId.HostNetwork => $"{prefix}spec.hostNetwork",
            FieldId.HostPID => $"{prefix}spec.hostPID",
            FieldId.HostIPC => $"{prefix}spec.hostIPC",
            FieldId.HostPathVolume => $"{prefix}spec.volumes[{violation.Item}].hostPath.path",
            FieldId.VolumeMount => $"{containerPath}.volumeMounts[{violation.Item}].readOnly",
            FieldId.HostPort => $"{containerPath}.ports[{violation.Item}].hostPort",
            FieldId.SecurityContext => $"{containerPath}.securityContext",
            FieldId.ResourceLimits => $"{containerPath}.resources.limits.{((MissingResourcesCondition)condition).Resources[violation.Detail]}",
            FieldId.ResourceRequests => $"{containerPath}.resources.requests.{((MissingResourcesCondition)condition).Resources[violation.Detail]}",
            FieldId.ReadOnlyRootFilesystem => $"{containerPath}.securityContext.readOnlyRootFilesystem",
            FieldId.CapabilitiesAdd => $"{containerPath}.securityContext.capabilities.add[{violation.Item}]",
            FieldId.CapabilitiesDrop => $"{containerPath}.securityContext.capabilities.drop",
            FieldId.EnvValue => $"{containerPath}.env[{violation.Item}].value",
            FieldId.EnvSecretKeyRef => $"{containerPath}.env[{violation.Item}].valueFrom.secretKeyRef",
            FieldId.EnvFromSecret => $"{containerPath}.envFrom[{violation.Item}].secretRef",
            FieldId.Labels => $"{prefix}metadata.labels",
            FieldId.Containers => $"{prefix}spec.containers",
            FieldId.PodSecurityCheck => PodSecurityCondition.FieldPath(violation, facts, prefix),
            _ => $"{prefix}spec",
        };
    }

    /// <summary>The value found at the field path, as JSON text; null when the field is absent (the message then
    /// says what is missing).</summary>
    private static string? Value(in Violation violation, PodFacts facts) => violation.Field switch
    {
        // Literal env values are credentials: never echo them.
        FieldId.EnvValue => RedactedValue,
        FieldId.PodSecurityCheck => PodSecurityCondition.Value(violation, facts),
        _ when violation.Value.IsPresent => $"\"{facts.String(violation.Value)}\"",
        FieldId.RunAsUser => "0",
        FieldId.Privileged or FieldId.HostNetwork or FieldId.HostPID or FieldId.HostIPC => "true",
        FieldId.AllowPrivilegeEscalation => violation.Detail == 1 ? "true" : null,
        FieldId.RunAsNonRoot => violation.Detail == RunAsRootCondition.ExplicitNonRootFalse ? "false" : null,
        FieldId.HostPort => violation.Detail.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FieldId.Containers => violation.Detail.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FieldId.ReadOnlyRootFilesystem => facts.Containers[violation.ContainerIndex].SecurityContext.ReadOnlyRootFilesystem == false ? "false" : null,
        _ => null,
    };
}
