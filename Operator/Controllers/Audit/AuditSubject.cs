namespace SecurityOperator.Controllers.Audit;

/// <summary>A reference to an audited object (Pod or workload) as PolicyReport results and Events name it.</summary>
public sealed record AuditSubject(string ApiVersion, string Kind, string Namespace, string Name, string? Uid)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
