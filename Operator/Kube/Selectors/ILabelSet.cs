namespace SecurityOperator.Kube.Selectors;

/// <summary>Where a label key stands relative to a set of candidate values.</summary>
public enum LabelPresence { Absent, ValueInSet, ValueNotInSet }

/// <summary>Labels of one object as the matcher sees them. Implemented over a string dictionary (namespace labels from a
/// cache) and over labels read from JSON bytes (pod labels in the evaluator), so there is one matcher for both.</summary>
public interface ILabelSet
{
    /// <summary>Whether <paramref name="key"/> is present, and if so whether its value is one of <paramref name="values"/>.</summary>
    LabelPresence Lookup(SelectorText key, ReadOnlySpan<SelectorText> values);
}

/// <summary>Labels held in a string dictionary (null means no labels).</summary>
public readonly struct DictionaryLabelSet(IReadOnlyDictionary<string, string>? labels) : ILabelSet
{
    public LabelPresence Lookup(SelectorText key, ReadOnlySpan<SelectorText> values)
    {
        if (labels is null || !labels.TryGetValue(key.Text, out var value)) return LabelPresence.Absent;
        foreach (var candidate in values)
            if (string.Equals(candidate.Text, value, StringComparison.Ordinal)) return LabelPresence.ValueInSet;
        return LabelPresence.ValueNotInSet;
    }
}
