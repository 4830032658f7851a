using System.Globalization;
using System.Text;

namespace SecurityOperator.Audit;

/// <summary>Human output: one block per object ("file:line  Kind namespace/name"), a row per finding with aligned
/// columns ACTION RULE CONTAINER FIELD MESSAGE, then read errors and a summary line. Colors mark the action.</summary>
public sealed class AuditTableFormatter : IAuditFormatter
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";

    private static readonly string[] Headers = ["ACTION", "RULE", "CONTAINER", "FIELD", "MESSAGE"];

    private readonly bool _color;

    public AuditTableFormatter(bool color)
    {
        _color = color;
    }

    public void Write(AuditReport report, TextWriter output)
    {
        foreach (IGrouping<ManifestObject, AuditFinding> group in GroupByObject(report.Findings))
        {
            WriteGroup(group.Key, group.OrderBy(f => AuditActions.Rank(f.Action)).ToList(), output);
            output.WriteLine();
        }

        if (report.Findings.Count == 0)
        {
            output.WriteLine(Paint("No findings.", Bold));
        }

        if (report.Errors.Count > 0)
        {
            output.WriteLine(Paint("Errors:", Bold));
            foreach (ManifestError error in report.Errors)
            {
                output.WriteLine("  " + Paint("error", ActionColor(AuditActions.Deny)) + "  " + OneLine(error.ToString()));
            }

            output.WriteLine();
        }

        output.WriteLine(SummaryLine(report.Summary));
    }

    /// <summary>Groups keep the order in which objects first appear (input order), not alphabetical order.</summary>
    private static IEnumerable<IGrouping<ManifestObject, AuditFinding>> GroupByObject(IReadOnlyList<AuditFinding> findings) =>
        findings.GroupBy(f => f.Object);

    private void WriteGroup(ManifestObject obj, List<AuditFinding> findings, TextWriter output)
    {
        output.WriteLine(Paint($"{obj.SourceFile}:{obj.Line}", Bold) + "  " + obj.Kind + " " + ObjectName(obj));

        var rows = findings.Select(f => new[]
        {
            f.Action, f.RuleId, f.Container ?? "-", f.Field ?? "-", OneLine(f.Message),
        }).ToList();
        int columns = Headers.Length;
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++)
        {
            widths[c] = Math.Max(Headers[c].Length, rows.Max(r => r[c].Length));
        }

        output.WriteLine("  " + Paint(JoinRow(Headers, widths), Dim));
        for (int r = 0; r < rows.Count; r++)
        {
            string[] row = rows[r];
            var line = new StringBuilder("  ");
            line.Append(Paint(row[0].PadRight(widths[0]), ActionColor(findings[r].Action)));
            line.Append("  ").Append(JoinRow(row[1..], widths[1..]));
            output.WriteLine(line.ToString());
        }
    }

    /// <summary>Cells separated by two spaces; the last column is not padded (no trailing blanks).</summary>
    private static string JoinRow(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }

            line.Append(c == cells.Length - 1 ? cells[c] : cells[c].PadRight(widths[c]));
        }

        return line.ToString();
    }

    public static string ObjectName(ManifestObject obj)
    {
        string name = obj.Name.Length > 0 ? obj.Name : "(unnamed)";
        return obj.Namespace is null ? name : obj.Namespace + "/" + name;
    }

    public static string SummaryLine(AuditSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.ObjectsScanned} objects scanned, {s.WorkloadsEvaluated} workloads evaluated, {s.Skipped} skipped (not workloads); " +
        $"findings: {s.Deny} deny, {s.Warn} warn, {s.Alert} alert, {s.DryRun} dryrun; {s.FilesWithErrors} files with errors");

    private static string OneLine(string text) =>
        text.Contains('\n') || text.Contains('\r') ? text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ') : text;

    private static string ActionColor(string action) => action switch
    {
        AuditActions.Deny => "\u001b[1;31m",
        AuditActions.Warn => "\u001b[33m",
        AuditActions.Alert => "\u001b[35m",
        _ => "\u001b[36m",
    };

    private string Paint(string text, string color) => _color ? color + text + Reset : text;
}
