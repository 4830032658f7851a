using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Policy.Conditions;

/// <summary>podSecurity {level, version}: the upstream Pod Security Standards checks of that level at that version
/// (see <see cref="PssRegistry"/>). The check decides pass/fail exactly as kube-apiserver does; a failed check is then
/// reported once per offender (each container, pod-level field, volume, port, sysctl, annotation...), worded as
/// upstream words it for that one offender, with its field path and a concrete fix.</summary>
public sealed class PodSecurityCondition(PodSecurityProfile profile) : Condition(ConditionKind.PodSecurity)
{
    /// <summary>Violation.Item of a failed check whose offenders could not be listed: reported for the whole pod.</summary>
    private const int WholePod = -1;

    // Per evaluating thread, like the facts: reused, so reporting offenders allocates nothing once warm.
    [ThreadStatic] private static PssOffenders? _offenders;

    private readonly PssActiveCheck[] _checks = profile.CheckArray;

    public PodSecurityProfile Profile { get; } = profile;

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        for (var c = 0; c < _checks.Length; c++)
        {
            if (!_checks[c].Check(facts, null)) continue;
            var offenders = _offenders ??= new PssOffenders();
            offenders.Clear();
            _checks[c].Locate(facts, offenders);
            // Never lose a failure: the conformance corpus shows every failure has an offender, but if one had none
            // the check is still reported, for the pod.
            if (offenders.Count == 0) context.Report(Kind, -1, FieldId.PodSecurityCheck, TextRange.None, c, WholePod);
            foreach (var o in offenders.AsSpan()) context.Report(Kind, o.ContainerIndex, FieldId.PodSecurityCheck, o.Value, c, o.Packed);
        }
    }

    /// <summary>Id of the failed check of a violation.</summary>
    public string CheckId(in Violation violation) => _checks[violation.Detail].Id;

    private string Profiled => $"violates PodSecurity \"{Profile.Level.ToString().ToLowerInvariant()}:{Profile.Version}\"";

    /// <summary>The offender a violation reports, or null for a whole-pod report.</summary>
    private static PssOffender? OffenderOf(in Violation violation)
    {
        if (violation.Item == WholePod) return null;
        var (field, item) = PssOffender.Unpack(violation.Item);
        return new PssOffender(violation.ContainerIndex, field, item, violation.Value);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var id = _checks[violation.Detail].Id;
        if (OffenderOf(violation) is not { } offender)
        {
            var finding = new PssFinding();
            _checks[violation.Detail].Check(facts, finding);
            return ($"{Profiled}: {finding}", $"change the pod so that it passes the {id} check");
        }
        return ($"{Profiled}: {PssOffenderText.Message(id, offender, facts)}", PssOffenderText.Fix(id, offender, facts, Profile.Version));
    }

    /// <summary>Field path of a violation from the object's root (<paramref name="prefix"/>: the pod template's).</summary>
    public static string FieldPath(in Violation violation, PodFacts facts, string prefix) =>
        OffenderOf(violation) is { } offender ? PssOffenderText.FieldPath(offender, facts, prefix) : $"{prefix}spec";

    /// <summary>The value found (JSON text), or null when the field is absent.</summary>
    public static string? Value(in Violation violation, PodFacts facts) =>
        OffenderOf(violation) is { } offender ? PssOffenderText.Value(offender, facts) : null;
}
