using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Policy.Conditions;

/// <summary>podSecurity {level, version}: the upstream Pod Security Standards checks of that level at that version
/// (see <see cref="PssRegistry"/>); one violation per failed check, worded as kube-apiserver words it.</summary>
public sealed class PodSecurityCondition(PodSecurityProfile profile) : Condition(ConditionKind.PodSecurity)
{
    private readonly PssActiveCheck[] _checks = profile.CheckArray;

    public PodSecurityProfile Profile { get; } = profile;

    public override void Evaluate(ref ConditionContext context)
    {
        for (var c = 0; c < _checks.Length; c++)
            if (_checks[c].Check(context.Facts, null)) context.Report(Kind, -1, FieldId.PodSecurityCheck, TextRange.None, c);
    }

    /// <summary>Id of the failed check of a violation.</summary>
    public string CheckId(in Violation violation) => _checks[violation.Detail].Id;

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var finding = new PssFinding();
        _checks[violation.Detail].Check(facts, finding);
        return ($"violates PodSecurity \"{Profile.Level.ToString().ToLowerInvariant()}:{Profile.Version}\": {finding}",
            $"see the {Profile.Level.ToString().ToLowerInvariant()} Pod Security Standard, check {_checks[violation.Detail].Id}");
    }
}
