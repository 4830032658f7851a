using System.Text.Json;
using SecurityOperator.Compliance.Cis;

namespace SecurityOperator.Compliance.Scans;

/// <summary>The newest report of a scan as JSON (the offline <c>--format json</c> format), served on the metrics port at
/// <see cref="Path"/>. Serialized once per scan, so a poller costs nothing.</summary>
public sealed class LatestComplianceReport
{
    public const string Path = "/compliance/cis.json";
    public const string ContentType = "application/json; charset=utf-8";

    private volatile string? _json;

    /// <summary>Null until the first scan has finished.</summary>
    public string? Json => _json;

    public void Set(CisReport report) => _json = JsonSerializer.Serialize(report, ComplianceJsonContext.Default.CisReport) + "\n";
}
