namespace SecurityOperator.Audit;

/// <summary>Renders an audit report for people (table) or tools (json, sarif).</summary>
public interface IAuditFormatter
{
    void Write(AuditReport report, TextWriter output);
}

/// <summary>The --format values and how to make each formatter.</summary>
public static class AuditFormats
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Sarif = "sarif";

    public static IReadOnlyList<string> Names { get; } = [Table, Json, Sarif];

    /// <param name="color">For the table: whether to emit ANSI colors (see <see cref="AuditColor.ShouldColor"/>).</param>
    /// <param name="baseDirectory">For SARIF: paths are made relative to it (normally the current directory).</param>
    /// <param name="ruleDescriptions">For SARIF: "policy/rule" → description; rules without one get a generated text.</param>
    public static IAuditFormatter? Create(string name, bool color, string baseDirectory, string? toolVersion,
        IReadOnlyDictionary<string, string>? ruleDescriptions = null) => name switch
    {
        Table => new AuditTableFormatter(color),
        Json => new AuditJsonFormatter(),
        Sarif => new AuditSarifFormatter(baseDirectory, toolVersion, ruleDescriptions),
        _ => null,
    };
}
