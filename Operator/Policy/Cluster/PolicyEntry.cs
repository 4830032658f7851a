using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Cluster;

/// <summary>What the store knows about one policy object. <see cref="Compiled"/> is the policy in force: the newest
/// version when it compiles, otherwise the last version that compiled (null when none ever did). <see cref="Errors"/>
/// are the compiler's errors for the newest version (empty when it compiled).</summary>
public sealed record PolicyEntry(
    PolicyKey Key,
    string? Uid,
    long? Generation,
    CompiledPolicy? Compiled,
    long? CompiledGeneration,
    IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The newest version is invalid and an older one is still enforced.</summary>
    public bool IsStale => !IsValid && Compiled is not null;
}
