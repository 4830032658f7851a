namespace SecurityOperator.Yaml;

/// <summary>A YAML document could not be converted. <see cref="Exception.Message"/> is "&lt;source&gt;:&lt;line&gt;:&lt;col&gt;: &lt;problem&gt;"
/// so it can be printed as is (editors and CI annotators jump to file:line:col).</summary>
public sealed class YamlException : Exception
{
    public YamlException(string source, int line, int column, string problem)
        : base($"{source}:{line}:{column}: {problem}")
    {
        Source = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The name the caller gave the input (a file path, "-" or "stdin", "kubeconfig").</summary>
    public new string Source { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units).</summary>
    public int Column { get; }

    /// <summary>The problem alone, without the location prefix.</summary>
    public string Problem { get; }
}
