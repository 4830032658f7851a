using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Selectors;

/// <summary>A validated, immutable label selector. Semantics follow metav1.LabelSelectorAsSelector: every requirement
/// must hold (AND); matchLabels k=v is "k In (v)"; In requires the key to exist with a listed value; NotIn holds when the
/// key is absent or its value is not listed; an empty selector matches everything.</summary>
public sealed class CompiledLabelSelector
{
    public static readonly CompiledLabelSelector Everything = new([]);

    private readonly CompiledRequirement[] _requirements;

    private CompiledLabelSelector(CompiledRequirement[] requirements) => _requirements = requirements;

    public int RequirementCount => _requirements.Length;

    public bool Matches<TLabels>(in TLabels labels) where TLabels : ILabelSet, allows ref struct
    {
        foreach (var requirement in _requirements)
        {
            var presence = labels.Lookup(requirement.Key, requirement.Values);
            var holds = requirement.Operator switch
            {
                SelectorOperator.In => presence == LabelPresence.ValueInSet,
                SelectorOperator.NotIn => presence != LabelPresence.ValueInSet,
                SelectorOperator.Exists => presence != LabelPresence.Absent,
                _ => presence == LabelPresence.Absent,
            };
            if (!holds) return false;
        }
        return true;
    }

    /// <summary>Convenience for string dictionaries (namespace labels).</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Matches(new DictionaryLabelSet(labels));

    /// <summary>Validates <paramref name="selector"/>; each problem is reported with its field path under
    /// <paramref name="path"/> (e.g. <c>spec.targets.podSelector.matchExpressions[0].operator</c>). Returns null when invalid.</summary>
    public static CompiledLabelSelector? Compile(LabelSelector selector, string path, ICollection<string> errors)
    {
        var before = errors.Count;
        var requirements = new List<CompiledRequirement>();
        if (selector.Extra is { Count: > 0 })
            foreach (var key in selector.Extra.Keys) errors.Add($"{path}.{key}: unknown field");
        if (selector.MatchLabels is not null)
        {
            // Sorted so a compiled selector (and its messages) does not depend on JSON property order.
            foreach (var (key, value) in selector.MatchLabels.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (LabelSyntax.KeyError(key) is { } keyError) errors.Add($"{path}.matchLabels: key \"{key}\": {keyError}");
                if (LabelSyntax.ValueError(value) is { } valueError) errors.Add($"{path}.matchLabels.{key}: value \"{value}\": {valueError}");
                requirements.Add(new(new SelectorText(key), SelectorOperator.In, [new SelectorText(value)]));
            }
        }
        if (selector.MatchExpressions is not null)
        {
            for (var i = 0; i < selector.MatchExpressions.Count; i++)
                if (CompileRequirement(selector.MatchExpressions[i], $"{path}.matchExpressions[{i}]", errors) is { } requirement)
                    requirements.Add(requirement);
        }
        return errors.Count == before ? new CompiledLabelSelector(requirements.ToArray()) : null;
    }

    private static CompiledRequirement? CompileRequirement(LabelSelectorRequirement? expression, string path, ICollection<string> errors)
    {
        if (expression is null) { errors.Add($"{path}: must be an object with key, operator and values"); return null; }
        var before = errors.Count;
        if (expression.Extra is { Count: > 0 })
            foreach (var key in expression.Extra.Keys) errors.Add($"{path}.{key}: unknown field");
        if (string.IsNullOrEmpty(expression.Key)) errors.Add($"{path}.key: required");
        else if (LabelSyntax.KeyError(expression.Key) is { } keyError) errors.Add($"{path}.key: \"{expression.Key}\": {keyError}");
        SelectorOperator op = default;
        switch (expression.Operator)
        {
            case "In": op = SelectorOperator.In; break;
            case "NotIn": op = SelectorOperator.NotIn; break;
            case "Exists": op = SelectorOperator.Exists; break;
            case "DoesNotExist": op = SelectorOperator.DoesNotExist; break;
            default: errors.Add($"{path}.operator: \"{expression.Operator}\" is not one of In, NotIn, Exists, DoesNotExist"); break;
        }
        var values = expression.Values ?? [];
        // Same rule as the API server's ValidateLabelSelectorRequirement.
        if (op is SelectorOperator.In or SelectorOperator.NotIn && values.Count == 0)
            errors.Add($"{path}.values: must be specified when operator is In or NotIn");
        if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist && values.Count > 0)
            errors.Add($"{path}.values: may not be specified when operator is Exists or DoesNotExist");
        for (var v = 0; v < values.Count; v++)
            if (LabelSyntax.ValueError(values[v]) is { } valueError) errors.Add($"{path}.values[{v}]: \"{values[v]}\": {valueError}");
        if (errors.Count != before) return null;
        return new CompiledRequirement(new SelectorText(expression.Key!), op, values.Select(v => new SelectorText(v)).ToArray());
    }

    private sealed record CompiledRequirement(SelectorText Key, SelectorOperator Operator, SelectorText[] Values);
}
