using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>One revision of a check: true when the pod FAILS it. With a null finding it returns at the first failure
/// and allocates nothing; with a finding it collects every offender for the message.</summary>
public delegate bool PssCheckFunction(PodFacts facts, PssFinding? finding);

/// <summary>A revision active from policy version 1.<see cref="MinimumMinor"/> until the next revision, with the
/// function that lists its offenders.</summary>
public sealed record PssVersionedCheck(int MinimumMinor, PssCheckFunction Check, PssLocateFunction Locate);

/// <summary>A Pod Security check as upstream registers it: id, level, revisions by minimum version, and for restricted
/// checks the baseline check ids it replaces (OverrideCheckIDs) while it is active.</summary>
public sealed record PssCheckDefinition(string Id, PodSecurityLevel Level, PssVersionedCheck[] Versions, string[] Overrides)
{
    /// <summary>The revision in force at <paramref name="version"/>, or null when the check does not exist yet.</summary>
    public PssVersionedCheck? At(PodSecurityVersion version)
    {
        PssVersionedCheck? found = null;
        foreach (var revision in Versions)
            if (revision.MinimumMinor <= version.Minor) found = revision;
        return found;
    }
}
