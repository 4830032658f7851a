namespace SecurityOperator.Audit;

/// <summary>When the table is colored: only on a terminal, and never when NO_COLOR is set to a non-empty value
/// (the https://no-color.org convention).</summary>
public static class AuditColor
{
    public static bool ShouldColor(bool outputIsTerminal, string? noColor) => outputIsTerminal && string.IsNullOrEmpty(noColor);

    /// <summary>The decision for standard output of this process.</summary>
    public static bool ForStandardOutput() =>
        ShouldColor(!Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"));
}
