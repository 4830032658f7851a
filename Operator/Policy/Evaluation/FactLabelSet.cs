using SecurityOperator.Kube.Selectors;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>The pod's labels as collected in <see cref="PodFacts"/>, for the one selector matcher (no strings).</summary>
public readonly struct FactLabelSet(PodFacts facts) : ILabelSet
{
    public LabelPresence Lookup(SelectorText key, ReadOnlySpan<SelectorText> values)
    {
        var value = facts.Label(key.Utf8);
        if (!value.IsPresent) return LabelPresence.Absent;
        var text = facts.Text(value);
        foreach (var candidate in values)
            if (text.SequenceEqual(candidate.Utf8)) return LabelPresence.ValueInSet;
        return LabelPresence.ValueNotInSet;
    }
}
