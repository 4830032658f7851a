using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>hostNetwork / hostPID / hostIPC: flags the pod when spec.hostNetwork / hostPID / hostIPC is true.</summary>
public sealed class HostNamespaceCondition : Condition
{
    public HostNamespaceCondition(ConditionKind kind) : base(kind)
    {
        if (kind is not (ConditionKind.HostNetwork or ConditionKind.HostPID or ConditionKind.HostIPC))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a host namespace condition");
    }

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var (value, field) = Kind switch
        {
            ConditionKind.HostNetwork => (facts.HostNetwork, FieldId.HostNetwork),
            ConditionKind.HostPID => (facts.HostPID, FieldId.HostPID),
            _ => (facts.HostIPC, FieldId.HostIPC),
        };
        if (value == true) context.Report(Kind, -1, field, TextRange.None);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var field = Kind.Key();
        return ($"shares the host's {field[4..]} namespace ({field}: true)", $"remove spec.{field} or set it to false");
    }
}

/// <summary>hostPorts: flags every container port with a non-zero hostPort.</summary>
public sealed class HostPortsCondition() : Condition(ConditionKind.HostPorts)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
            foreach (var port in facts.PortsOf(containers[i]))
                if (port.HostPort != 0) context.Report(Kind, i, FieldId.HostPort, TextRange.None, port.HostPort, port.IndexInContainer);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"binds host port {violation.Detail}", "remove hostPort and expose the port through a Service");
}
