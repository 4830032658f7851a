using System.Text.Json;

namespace SecurityOperator.Compliance.Cis;

/// <summary>The offline form, <c>--role audit --cis --host-root DIR [--cis-benchmark cis-1.12] [--format table|json]</c>:
/// scans a host file tree and prints the report. Exit 0 when nothing failed, 1 on FAIL or ERROR, 2 for usage problems.</summary>
public static class CisAuditCommand
{
    public static int Run(string hostRoot, string benchmark, string format, TextWriter stdout, TextWriter stderr, TimeProvider? time = null)
    {
        if (!CisBenchmarkVersions.TryParse(benchmark, out var version))
        {
            stderr.WriteLine($"security-operator: --cis-benchmark: {CisBenchmarkVersions.Validate(benchmark)}");
            return 2;
        }
        if (format is not ("table" or "json"))
        {
            stderr.WriteLine($"security-operator: --format {format} is not available with --cis: use table or json");
            return 2;
        }
        if (!Directory.Exists(hostRoot))
        {
            stderr.WriteLine($"security-operator: --host-root {hostRoot}: not a directory");
            return 2;
        }
        var report = new CisScanner(new HostRoot(hostRoot), version, time).Scan();
        if (format == "json") stdout.WriteLine(JsonSerializer.Serialize(report, ComplianceJsonContext.Default.CisReport));
        else CisTableFormatter.Write(report, stdout);
        stdout.Flush();
        return report.ExitCode;
    }
}
