using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>What a violation means for the request: Deny (deny action, enforce mode), Warn (deny action, warn mode, or
/// a violation its condition says <see cref="Conditions.Condition.WarnsOnly"/>), Audit (deny action, dryrun mode),
/// Alert (no deny action: alert/mutate/notify only).</summary>
public enum Disposition { Deny, Warn, Audit, Alert }

public static class ViolationDispositions
{
    public static Disposition Of(in Violation violation, CompiledPolicySet policies)
    {
        var policy = policies.PolicyArray[violation.PolicyIndex];
        var rule = policy.RuleArray[violation.RuleIndex];
        if (!rule.Actions.Deny) return Disposition.Alert;
        return policy.Mode switch
        {
            EnforcementMode.Enforce => rule.ConditionArray[violation.ConditionIndex].WarnsOnly(violation) ? Disposition.Warn : Disposition.Deny,
            EnforcementMode.Warn => Disposition.Warn,
            _ => Disposition.Audit,
        };
    }
}
