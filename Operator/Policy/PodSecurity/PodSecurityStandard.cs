using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>Convenience entry point over the same checks the evaluator runs (used by tests and the conformance corpus).</summary>
public static class PodSecurityStandard
{
    /// <summary>Evaluates a Pod (JSON object with metadata + spec, e.g. a pod or a pod template) and returns the ids of
    /// failed checks, in upstream registration order. Throws <see cref="FormatException"/> on input the evaluator rejects.</summary>
    public static IReadOnlyList<string> FailedChecks(ReadOnlySpan<byte> podJson, PodSecurityLevel level, PodSecurityVersion version)
    {
        var facts = new PodFacts();
        if (!PodFactReader.TryRead(podJson, facts, EvaluationLimits.Default, out var error))
            throw new FormatException(error);
        var failed = new List<string>();
        foreach (var check in PodSecurityProfile.Resolve(level, version).CheckArray)
            if (check.Check(facts, null)) failed.Add(check.Id);
        return failed;
    }

    /// <summary>As <see cref="FailedChecks"/>, with upstream-style "{reason} ({detail})" messages per failed check.</summary>
    public static IReadOnlyList<(string Id, string Message)> Explain(ReadOnlySpan<byte> podJson, PodSecurityLevel level, PodSecurityVersion version)
    {
        var facts = new PodFacts();
        if (!PodFactReader.TryRead(podJson, facts, EvaluationLimits.Default, out var error))
            throw new FormatException(error);
        var failed = new List<(string, string)>();
        foreach (var check in PodSecurityProfile.Resolve(level, version).CheckArray)
        {
            var finding = new PssFinding();
            if (check.Check(facts, finding)) failed.Add((check.Id, finding.ToString()));
        }
        return failed;
    }
}
