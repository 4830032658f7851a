using System.Collections.Concurrent;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>A check revision in force for a profile, with the function that lists its offenders.</summary>
public sealed record PssActiveCheck(string Id, PssCheckFunction Check, PssLocateFunction Locate);

/// <summary>The checks in force for a level at a version, resolved once (at policy compilation) so the hot path only
/// loops over an array. Restricted = baseline checks + restricted checks, minus the baseline checks that an active
/// restricted check overrides at that version (a restricted check that does not exist yet overrides nothing).</summary>
public sealed class PodSecurityProfile
{
    private static readonly ConcurrentDictionary<(PodSecurityLevel, PodSecurityVersion), PodSecurityProfile> Cache = new();

    private PodSecurityProfile(PodSecurityLevel level, PodSecurityVersion version, PssActiveCheck[] checks)
    {
        Level = level;
        Version = version;
        Checks = checks;
    }

    public PodSecurityLevel Level { get; }
    public PodSecurityVersion Version { get; }
    public IReadOnlyList<PssActiveCheck> Checks { get; }
    internal PssActiveCheck[] CheckArray => (PssActiveCheck[])Checks;

    public static PodSecurityProfile Resolve(PodSecurityLevel level, PodSecurityVersion version) =>
        Cache.GetOrAdd((level, version), static key => Build(key.Item1, key.Item2));

    private static PodSecurityProfile Build(PodSecurityLevel level, PodSecurityVersion version)
    {
        var active = new List<(PssCheckDefinition Definition, PssVersionedCheck Revision)>();
        foreach (var definition in PssRegistry.Checks)
        {
            if (definition.Level > level || level == PodSecurityLevel.Privileged) continue;
            if (definition.At(version) is { } revision) active.Add((definition, revision));
        }
        var overridden = new HashSet<string>(active.SelectMany(a => a.Definition.Overrides), StringComparer.Ordinal);
        var checks = active.Where(a => !overridden.Contains(a.Definition.Id)).Select(a => new PssActiveCheck(a.Definition.Id, a.Revision.Check, a.Revision.Locate)).ToArray();
        return new PodSecurityProfile(level, version, checks);
    }
}
