using System.Text.Json.Serialization;

namespace SecurityOperator.Compliance.Cis;

/// <summary>The outcome of one check with its evidence (each value or file mode found, and where).</summary>
public sealed class CisCheckResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("section")] public required string Section { get; init; }
    [JsonPropertyName("level")] public int Level { get; init; }
    /// <summary>The benchmark's "Automated" (scored) versus "Manual".</summary>
    [JsonPropertyName("automated")] public bool Automated { get; init; }
    [JsonPropertyName("component")] public required string Component { get; init; }
    [JsonIgnore] public CheckStatus Status { get; init; }
    [JsonPropertyName("status")] public string StatusName => CheckStatusNames.Of(Status);
    [JsonPropertyName("expected")] public required string Expected { get; init; }
    [JsonPropertyName("evidence")] public required List<string> Evidence { get; init; }
    [JsonPropertyName("remediation")] public required string Remediation { get; init; }
}

/// <summary>Checks that do not apply to this host because their component is not on it (a worker has no API server).</summary>
public sealed class CisNotApplicable
{
    [JsonPropertyName("component")] public required string Component { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("checks")] public required List<string> Checks { get; init; }
}

public sealed class CisSummary
{
    [JsonPropertyName("pass")] public int Pass { get; set; }
    [JsonPropertyName("fail")] public int Fail { get; set; }
    [JsonPropertyName("warn")] public int Warn { get; set; }
    [JsonPropertyName("manual")] public int Manual { get; set; }
    [JsonPropertyName("error")] public int Error { get; set; }

    public void Count(CheckStatus status)
    {
        switch (status)
        {
            case CheckStatus.Pass: Pass++; break;
            case CheckStatus.Fail: Fail++; break;
            case CheckStatus.Warn: Warn++; break;
            case CheckStatus.Manual: Manual++; break;
            default: Error++; break;
        }
    }
}

/// <summary>One scan of one host (or of the cluster's API objects, for section 5): the JSON report format.</summary>
public sealed class CisReport
{
    [JsonPropertyName("benchmark")] public required string Benchmark { get; init; }
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("generatedAt")] public required DateTimeOffset GeneratedAt { get; init; }
    [JsonPropertyName("results")] public required List<CisCheckResult> Results { get; init; }
    [JsonPropertyName("notApplicable")] public required List<CisNotApplicable> NotApplicable { get; init; }
    [JsonPropertyName("summary")] public required CisSummary Summary { get; init; }
    /// <summary>The controller's section 5 report only: remediation mode and every action planned or done (absent offline).</summary>
    [JsonPropertyName("remediation")] public global::SecurityOperator.Compliance.Remediation.RemediationReport? Remediation { get; set; }

    /// <summary>0 when nothing failed; 1 when a check failed or could not be evaluated (ERROR), so a pipeline never
    /// passes on input it could not read.</summary>
    public int ExitCode => Summary.Fail > 0 || Summary.Error > 0 ? 1 : 0;
}
