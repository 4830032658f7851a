using System.Globalization;
using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>Name rules and escaping of the Prometheus text exposition format 0.0.4.</summary>
internal static class MetricName
{
    public static void Validate(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0]) || !name.All(c => IsNameStart(c) || char.IsAsciiDigit(c)))
            throw new ArgumentException($"invalid metric name '{name}': must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    }

    public static void ValidateLabel(string label, string metric)
    {
        if (label.Length == 0 || !(char.IsAsciiLetter(label[0]) || label[0] == '_')
            || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || label.StartsWith("__", StringComparison.Ordinal))
            throw new ArgumentException($"invalid label name '{label}' on metric {metric}: must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __");
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c == ':';

    public static void AppendEscapedHelp(StringBuilder sb, string help)
    {
        foreach (var c in help)
            _ = c switch { '\\' => sb.Append(@"\\"), '\n' => sb.Append(@"\n"), _ => sb.Append(c) };
    }

    public static void AppendEscapedLabelValue(StringBuilder sb, string value)
    {
        foreach (var c in value)
            _ = c switch { '\\' => sb.Append(@"\\"), '\n' => sb.Append(@"\n"), '"' => sb.Append("\\\""), _ => sb.Append(c) };
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
