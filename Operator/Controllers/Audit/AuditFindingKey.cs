using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Audit;

/// <summary>One violation of one rule, as reported: the same key from a workload's template and from its replica pods
/// is one result. <see cref="FieldPath"/> is relative to the pod (spec.containers[0].image), so template and pod agree.</summary>
public sealed record AuditFindingKey(
    PolicyKey Policy, string PolicyName, string Rule, string Condition, Disposition Disposition, string? Container, string FieldPath, string Message)
{
    /// <summary>wgpolicyk8s.io result: a violated deny rule fails (whatever the mode); an alert-only rule warns.</summary>
    public string Result => Disposition == Disposition.Alert ? "warn" : "fail";

    /// <summary>As the offline audit grades it: a denial is high, a warning or dry-run denial medium, an alert low.</summary>
    public string Severity => Disposition switch
    {
        Disposition.Deny => "high",
        Disposition.Warn or Disposition.Audit => "medium",
        _ => "low",
    };
}
