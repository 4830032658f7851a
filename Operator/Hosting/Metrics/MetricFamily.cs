using System.Collections.Concurrent;
using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>One named metric with its label names and a child per distinct label-value tuple.
/// Children are created on first use and live as long as the registry (label values must be bounded by the caller).</summary>
public abstract class MetricFamily<TChild> : IMetricFamily where TChild : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, TChild Child)> _children = new(StringComparer.Ordinal);
    private TChild? _unlabelled;

    protected MetricFamily(string name, string help, string[] labelNames)
    {
        MetricName.Validate(name);
        foreach (var label in labelNames) MetricName.ValidateLabel(label, name);
        Name = name;
        Help = help;
        LabelNames = labelNames;
    }

    /// <summary>Called by derived constructors once their own state is set, so that a metric without labels is exposed
    /// (as 0) before its first use.</summary>
    protected void ExposeUnlabelled()
    {
        if (LabelNames.Count == 0) _ = Unlabelled;
    }

    public string Name { get; }
    public string Help { get; }
    public IReadOnlyList<string> LabelNames { get; }
    public abstract string Type { get; }

    /// <summary>The child for these label values, in the order of the label names. Hot paths should keep the child.</summary>
    public TChild WithLabels(params string[] values)
    {
        if (values.Length != LabelNames.Count)
            throw new ArgumentException($"metric {Name} has {LabelNames.Count} label(s) ({string.Join(", ", LabelNames)}), got {values.Length} value(s)");
        return GetOrAdd(values);
    }

    /// <summary>The only child of a metric without labels.</summary>
    protected TChild Unlabelled => _unlabelled ??= LabelNames.Count == 0
        ? GetOrAdd(Array.Empty<string>())
        : throw new InvalidOperationException($"metric {Name} has labels ({string.Join(", ", LabelNames)}): use WithLabels");

    protected abstract TChild NewChild();

    protected abstract void WriteChild(StringBuilder output, string labels, TChild child);

    private TChild GetOrAdd(string[] values)
    {
        var key = string.Join('\u0001', values);
        return _children.GetOrAdd(key, static (_, state) => (state.values, state.self.NewChild()), (values: (string[])values.Clone(), self: this)).Child;
    }

    public void WriteTo(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ');
        MetricName.AppendEscapedHelp(output, Help);
        output.Append('\n');
        output.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        // Sorted so that the exposition is stable for diffing and tests.
        foreach (var pair in _children.OrderBy(p => p.Key, StringComparer.Ordinal))
            WriteChild(output, FormatLabels(pair.Value.Values), pair.Value.Child);
    }

    /// <summary>{a="x",b="y"} or the empty string.</summary>
    protected string FormatLabels(string[] values, string? extraName = null, string? extraValue = null)
    {
        if (values.Length == 0 && extraName is null) return "";
        var sb = new StringBuilder("{");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(LabelNames[i]).Append("=\"");
            MetricName.AppendEscapedLabelValue(sb, values[i]);
            sb.Append('"');
        }
        if (extraName is not null)
        {
            if (values.Length > 0) sb.Append(',');
            sb.Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }
        return sb.Append('}').ToString();
    }
}

public interface IMetricFamily
{
    string Name { get; }
    void WriteTo(StringBuilder output);
}
