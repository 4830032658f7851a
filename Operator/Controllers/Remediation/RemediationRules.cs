using SecurityOperator.Controllers.Audit;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Remediation;

/// <summary>Which remediation actions apply to a finding: the rule's own <c>notify</c>/<c>quarantine</c> actions, else the
/// policy's <c>spec.remediation</c>, which covers the policy's deny violations (findings of rules with <c>deny</c>; alert-only
/// rules are not violations of the policy). A rule's own action wins over the policy's (its channels, its duration).</summary>
public static class RemediationRules
{
    /// <summary>The notify action of the finding's rule, else the policy's for a deny violation, else null.</summary>
    public static NotifyAction? NotifyFor(AuditFindingKey finding, CompiledPolicy policy)
    {
        var rule = RuleOf(finding, policy);
        if (rule?.Actions.Notify is { } own) return own;
        return finding.Disposition != Disposition.Alert ? policy.Remediation.Notify : null;
    }

    /// <summary>The quarantine action for the finding: the rule's own, else the policy's when <c>spec.remediation.automatic</c>
    /// is true and the finding is a deny violation. A quarantine changes a running pod, so a policy-wide one must be
    /// opted into with <c>automatic</c>; without it the policy's quarantine is not
    /// applied (documented in docs/controller.md). The mode and --enforce-existing gates are the caller's.</summary>
    public static QuarantineAction? QuarantineFor(AuditFindingKey finding, CompiledPolicy policy)
    {
        var rule = RuleOf(finding, policy);
        if (rule?.Actions.Quarantine is { } own) return own;
        return policy.Remediation.Automatic && finding.Disposition != Disposition.Alert ? policy.Remediation.Quarantine : null;
    }

    private static CompiledRule? RuleOf(AuditFindingKey finding, CompiledPolicy policy)
    {
        foreach (var rule in policy.Rules)
            if (rule.Name == finding.Rule) return rule;
        return null;
    }
}
