using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Mutation;

/// <summary>The mutations owed for one evaluation: those of rules that reported a violation, in policies whose mode is
/// enforce or warn (dryrun never changes objects). Several setDefaults merge per resource, the first rule winning.</summary>
public sealed record MutationPlan(IReadOnlyList<KeyValuePair<string, string>> DefaultLimits, IReadOnlyList<KeyValuePair<string, string>> DefaultRequests, bool Harden)
{
    public static readonly MutationPlan None = new([], [], false);

    public bool IsEmpty => DefaultLimits.Count == 0 && DefaultRequests.Count == 0 && !Harden;

    public static MutationPlan From(ViolationBuffer violations, CompiledPolicySet policies)
    {
        List<KeyValuePair<string, string>>? limits = null, requests = null;
        var harden = false;
        var seen = new HashSet<(int, int)>();
        foreach (ref readonly var v in violations.AsSpan())
        {
            if (!seen.Add((v.PolicyIndex, v.RuleIndex))) continue;
            var policy = policies.Policies[v.PolicyIndex];
            if (policy.Mode == EnforcementMode.DryRun) continue;
            var actions = policy.Rules[v.RuleIndex].Actions;
            harden |= actions.Harden;
            if (actions.SetDefaults is not { } defaults) continue;
            Merge(ref limits, defaults.Limits);
            Merge(ref requests, defaults.Requests);
        }
        return limits is null && requests is null && !harden ? None : new MutationPlan(limits ?? [], requests ?? [], harden);
    }

    private static void Merge(ref List<KeyValuePair<string, string>>? into, IReadOnlyList<KeyValuePair<string, string>> from)
    {
        foreach (var pair in from)
        {
            into ??= [];
            if (!into.Exists(p => p.Key == pair.Key)) into.Add(pair);
        }
    }
}
