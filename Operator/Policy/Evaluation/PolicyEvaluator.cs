using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>Evaluates an object's JSON against the policies of its namespace: locate the pod template, collect facts in
/// one forward pass, then run every applicable rule's conditions over the facts. Allocates nothing when nothing is
/// violated (and nothing per violation either once the buffers are warm). Never throws on bad input.</summary>
public static class PolicyEvaluator
{
    public static EvaluationResult Evaluate(ReadOnlySpan<byte> objectJson, CompiledPolicySet policies, PodFacts facts,
        ViolationBuffer violations, in EvaluationRequest request = default) =>
        Evaluate(objectJson, policies, facts, violations, request, EvaluationLimits.Default);

    public static EvaluationResult Evaluate(ReadOnlySpan<byte> objectJson, CompiledPolicySet policies, PodFacts facts,
        ViolationBuffer violations, in EvaluationRequest request, EvaluationLimits limits)
    {
        violations.Clear();
        var status = PodTemplateLocator.TryLocateAndRead(objectJson, request.Kind, limits, facts, out var location, out var error);
        if (status != LocateStatus.Found)
            return new EvaluationResult(status == LocateStatus.NotAWorkload ? EvaluationStatus.NotAWorkload : EvaluationStatus.InvalidInput, error, location, 0, false);

        var denied = false;
        var policyArray = policies.PolicyArray;
        for (var p = 0; p < policyArray.Length; p++)
        {
            var policy = policyArray[p];
            if (!Applies(policy, facts, request)) continue;
            var rules = policy.RuleArray;
            for (var r = 0; r < rules.Length; r++)
            {
                var conditions = rules[r].ConditionArray;
                var before = violations.Count;
                for (var c = 0; c < conditions.Length; c++)
                {
                    var context = new ConditionContext(facts, violations, p, r, c);
                    conditions[c].Evaluate(ref context);
                }
                if (violations.Count > before && rules[r].Actions.Deny && policy.Mode == EnforcementMode.Enforce) denied = true;
            }
        }
        return new EvaluationResult(EvaluationStatus.Evaluated, null, location, violations.Count, denied);
    }

    private static bool Applies(CompiledPolicy policy, PodFacts facts, in EvaluationRequest request)
    {
        if (!policy.Exclude.IsEmpty)
        {
            if (policy.Exclude.ExcludesUser(request.UserName)) return false;
            if (policy.Exclude.ExcludesServiceAccount(facts.Text(facts.ServiceAccountName), request.Namespace)) return false;
        }
        return policy.PodSelector is null || policy.PodSelector.Matches(new FactLabelSet(facts));
    }
}
