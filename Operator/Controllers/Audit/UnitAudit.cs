using SecurityOperator.Policy.Cluster;

namespace SecurityOperator.Controllers.Audit;

/// <summary>The results of one reporting unit (a top-level workload with its replica pods, or a bare pod): the distinct
/// findings of all its members, the rules that applied and passed, and how many of its pods violate something.</summary>
public sealed record UnitAudit(
    AuditSubject Unit,
    IReadOnlyList<AuditFindingKey> Findings,
    IReadOnlySet<PolicyKey> MatchedPolicies,
    int PassedRules,
    int Pods,
    int ViolatingPods,
    int Errors);
