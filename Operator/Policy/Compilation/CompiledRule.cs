using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Compilation;

/// <summary>A rule: violated when ANY of its conditions reports a finding (each condition is a check; every finding is
/// reported, not only the first).</summary>
public sealed record CompiledRule(int Index, string Name, string? Description, IReadOnlyList<Condition> Conditions, RuleActions Actions)
{
    internal Condition[] ConditionArray { get; } = Conditions.ToArray();
}
