using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>What a violation means for the request: Deny (deny action, enforce mode), Warn (deny action, warn mode),
/// Audit (deny action, dryrun mode), Alert (no deny action: alert/mutate/notify only).</summary>
public enum Disposition { Deny, Warn, Audit, Alert }

public static class ViolationDispositions
{
    public static Disposition Of(in Violation violation, CompiledPolicySet policies)
    {
        var policy = policies.PolicyArray[violation.PolicyIndex];
        if (!policy.RuleArray[violation.RuleIndex].Actions.Deny) return Disposition.Alert;
        return policy.Mode switch
        {
            EnforcementMode.Enforce => Disposition.Deny,
            EnforcementMode.Warn => Disposition.Warn,
            _ => Disposition.Audit,
        };
    }
}
