using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>privilegedContainer: flags a container with securityContext.privileged: true.</summary>
public sealed class PrivilegedContainerCondition() : Condition(ConditionKind.PrivilegedContainer)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var containers = context.Facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
            if (containers[i].SecurityContext.Privileged == true) context.Report(Kind, i, FieldId.Privileged, TextRange.None);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ("is privileged (securityContext.privileged: true)", "remove privileged: true; add only the capabilities it needs");
}

/// <summary>allowPrivilegeEscalation: flags a container whose allowPrivilegeEscalation is true or unset (unset lets
/// setuid binaries gain privileges: the runtime default is true). Windows pods are skipped (Linux-only field).</summary>
public sealed class AllowPrivilegeEscalationCondition() : Condition(ConditionKind.AllowPrivilegeEscalation)
{
    public override void Evaluate(ref ConditionContext context)
    {
        if (context.Facts.IsWindows) return;
        var containers = context.Facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            var value = containers[i].SecurityContext.AllowPrivilegeEscalation;
            if (value != false) context.Report(Kind, i, FieldId.AllowPrivilegeEscalation, TextRange.None, value == true ? 1 : 0);
        }
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        (violation.Detail == 1 ? "allows privilege escalation (allowPrivilegeEscalation: true)" : "allows privilege escalation (allowPrivilegeEscalation unset, runtime default true)",
         "set securityContext.allowPrivilegeEscalation: false");
}

/// <summary>readOnlyRootFilesystemMissing: flags a container whose readOnlyRootFilesystem is not true.</summary>
public sealed class ReadOnlyRootFilesystemMissingCondition() : Condition(ConditionKind.ReadOnlyRootFilesystemMissing)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var containers = context.Facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
            if (containers[i].SecurityContext.ReadOnlyRootFilesystem != true) context.Report(Kind, i, FieldId.ReadOnlyRootFilesystem, TextRange.None);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        (facts.Containers[violation.ContainerIndex].SecurityContext.ReadOnlyRootFilesystem == false
                ? "has a writable root filesystem (readOnlyRootFilesystem: false)"
                : "has a writable root filesystem (readOnlyRootFilesystem unset)",
         "set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where it writes");
}

/// <summary>missingSecurityContext: flags a container without a securityContext object. A pod-level securityContext
/// does not count: allowPrivilegeEscalation, capabilities, privileged and readOnlyRootFilesystem exist only per container.</summary>
public sealed class MissingSecurityContextCondition() : Condition(ConditionKind.MissingSecurityContext)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var containers = context.Facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
            if (!containers[i].SecurityContext.Present) context.Report(Kind, i, FieldId.SecurityContext, TextRange.None);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ("has no securityContext", "add a securityContext (allowPrivilegeEscalation: false, capabilities.drop: [ALL], runAsNonRoot: true, readOnlyRootFilesystem: true)");
}
