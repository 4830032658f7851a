using SecurityOperator.Policy.Cluster;

namespace SecurityOperator.Controllers.Audit;

/// <summary>The outcome of evaluating one object: which policies' rules applied to it, what they found, and the unit
/// its results are reported under (its top-level workload, or itself). <see cref="Error"/> is set when the object
/// could not be evaluated (its findings are then empty).</summary>
public sealed record ObjectAudit(
    AuditSubject Subject,
    AuditSubject Unit,
    string? ResourceVersion,
    IReadOnlyList<(PolicyKey Policy, string Rule)> AppliedRules,
    IReadOnlyList<AuditFindingKey> Findings,
    string? Error)
{
    public bool IsPod => Subject.Kind == "Pod";
}
