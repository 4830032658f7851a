using System.Text.Json;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Compilation;

public static partial class PolicyCompiler
{
    private static List<CompiledRule> CompileRules(List<PolicyRule?>? rules, List<string> errors, PolicyScope scope, string? policyNamespace)
    {
        var compiled = new List<CompiledRule>();
        if (rules is null || rules.Count == 0)
        {
            errors.Add("spec.rules: must be a non-empty list of rules");
            return compiled;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rules.Count; r++)
        {
            var path = $"spec.rules[{r}]";
            var rule = rules[r];
            if (rule is null) { errors.Add($"{path}: must be an object"); continue; }
            ReportUnknown(rule.Unknown, path + ".", errors);
            if (string.IsNullOrWhiteSpace(rule.Name)) errors.Add($"{path}.name: required");
            else if (!names.Add(rule.Name)) errors.Add($"{path}.name: duplicate rule name \"{rule.Name}\"");

            var conditions = new List<Condition>();
            if (rule.Conditions is not { Count: > 0 }) errors.Add($"{path}.conditions: must be a non-empty list of conditions");
            else
                for (var c = 0; c < rule.Conditions.Count; c++)
                    if (ConditionParser.Parse(rule.Conditions[c], $"{path}.conditions[{c}]", errors, scope, policyNamespace) is { } condition)
                        conditions.Add(condition);

            var actions = ActionParser.ParseRuleActions(rule.Actions, $"{path}.actions", errors);
            compiled.Add(new CompiledRule(r, rule.Name ?? "", rule.Description, conditions, actions));
        }
        return compiled;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
