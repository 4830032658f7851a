namespace SecurityOperator.Compliance.Cis;

/// <summary>The report for people: one line per check (id, status, component, title), its evidence indented under it,
/// the remediation of every FAIL and WARN, the checks that do not apply to this host, and a summary line.</summary>
public static class CisTableFormatter
{
    public static void Write(CisReport report, TextWriter output)
    {
        output.WriteLine($"CIS Kubernetes Benchmark {report.Benchmark}{(report.Host is null ? "" : $", host root {report.Host}")}");
        var idWidth = Math.Max(2, report.Results.Select(r => r.Id.Length).DefaultIfEmpty(0).Max());
        var componentWidth = Math.Max(9, report.Results.Select(r => r.Component.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"ID".PadRight(idWidth)}  {"STATUS",-6}  {"COMPONENT".PadRight(componentWidth)}  TITLE");
        foreach (var result in report.Results)
        {
            var manual = result.Automated ? "" : " (Manual)";
            output.WriteLine($"{result.Id.PadRight(idWidth)}  {result.StatusName,-6}  {result.Component.PadRight(componentWidth)}  {result.Title}{manual}");
            foreach (var line in result.Evidence) output.WriteLine($"{"".PadRight(idWidth)}  found: {line}");
            if (result.Status is CheckStatus.Fail or CheckStatus.Warn)
            {
                output.WriteLine($"{"".PadRight(idWidth)}  expected: {result.Expected}");
                output.WriteLine($"{"".PadRight(idWidth)}  fix: {result.Remediation}");
            }
        }
        foreach (var skipped in report.NotApplicable)
            output.WriteLine($"not applicable: {string.Join(", ", skipped.Checks)} ({skipped.Reason})");
        var s = report.Summary;
        output.WriteLine($"{s.Pass} pass, {s.Fail} fail, {s.Warn} warn, {s.Manual} manual, {s.Error} error");
    }
}
