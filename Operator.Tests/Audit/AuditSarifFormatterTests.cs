using System.Text.Json;
using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

/// <summary>Checks the properties the SARIF 2.1.0 schema requires (sarifLog: version, runs; run: tool; tool: driver;
/// toolComponent: name; reportingDescriptor: id; result: message; message: text; invocation: executionSuccessful;
/// region.startLine >= 1; level in none/note/warning/error) plus what code scanning needs (ruleId, locations).</summary>
public class AuditSarifFormatterTests
{
    private static JsonDocument Render(AuditReport report, string baseDirectory, IReadOnlyDictionary<string, string>? descriptions = null)
    {
        var output = new StringWriter();
        new AuditSarifFormatter(baseDirectory, "0.1.0", descriptions).Write(report, output);
        return JsonDocument.Parse(output.ToString());
    }

    private static readonly string Base = Path.Combine(Path.GetTempPath(), "repo");

    private static AuditReport WithBase(AuditReport report) => report with
    {
        Findings = report.Findings.Select(f => f with { Object = f.Object with { SourceFile = Path.Combine(Base, f.Object.SourceFile) } }).ToList(),
    };

    [Fact]
    public void Log_has_the_required_top_level_shape_and_driver()
    {
        using JsonDocument sarif = Render(WithBase(AuditReportSamples.Report()), Base);
        JsonElement root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal(AuditSarifFormatter.SchemaUri, root.GetProperty("$schema").GetString());
        JsonElement run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        JsonElement driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("security-operator", driver.GetProperty("name").GetString());
        Assert.Equal("0.1.0", driver.GetProperty("version").GetString());
        Assert.True(run.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());
        Assert.Equal(new Uri(Base + Path.DirectorySeparatorChar).AbsoluteUri,
            run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());
    }

    [Fact]
    public void Rules_are_distinct_policy_slash_rule_ids_with_descriptions()
    {
        var descriptions = new Dictionary<string, string> { ["production/no-root-containers"] = "Prevent containers running as root" };
        using JsonDocument sarif = Render(WithBase(AuditReportSamples.Report()), Base, descriptions);
        JsonElement rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal(["production/resource-limits", "production/no-root-containers", "pss-restricted/hostNetwork", "production/trusted-registries"],
            rules.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("Prevent containers running as root", rules[1].GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal("Rule 'hostNetwork' of policy 'pss-restricted'", rules[2].GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal("error", rules[1].GetProperty("defaultConfiguration").GetProperty("level").GetString());
    }

    [Fact]
    public void Results_carry_rule_level_message_and_a_relative_location_with_the_line()
    {
        using JsonDocument sarif = Render(WithBase(AuditReportSamples.Report()), Base);
        JsonElement run = sarif.RootElement.GetProperty("runs")[0];
        JsonElement[] results = run.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["warning", "error", "error", "note"], results.Select(r => r.GetProperty("level").GetString()));
        JsonElement rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        foreach (JsonElement result in results)
        {
            Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
            int index = result.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(rules[index].GetProperty("id").GetString(), result.GetProperty("ruleId").GetString());
        }

        JsonElement location = results[2].GetProperty("locations")[0];
        JsonElement artifact = location.GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("pods/debug%20pod.yaml", artifact.GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", artifact.GetProperty("uriBaseId").GetString());
        Assert.Equal(1, location.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(12, results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal("Deployment/prod/web", results[0].GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
        Assert.Equal("deny", results[1].GetProperty("properties").GetProperty("action").GetString());
    }

    [Fact]
    public void Files_outside_the_base_get_absolute_file_uris_and_stdin_is_named()
    {
        string outside = Path.Combine(Path.GetTempPath(), "elsewhere", "x.yaml");
        ManifestObject other = AuditReportSamples.Pod with { SourceFile = outside };
        ManifestObject stdin = AuditReportSamples.Pod with { SourceFile = ManifestReader.StdinPath };
        AuditFinding finding = AuditReportSamples.Report().Findings[2];
        var report = new AuditReport([finding with { Object = other }, finding with { Object = stdin }], AuditSummary.Create(2, 2, 0, [], 0), []);
        using JsonDocument sarif = Render(report, Base);
        JsonElement[] results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToArray();
        JsonElement first = results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal(new Uri(outside).AbsoluteUri, first.GetProperty("uri").GetString());
        Assert.False(first.TryGetProperty("uriBaseId", out _));
        Assert.Equal("stdin", results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public void Read_errors_become_failed_invocation_notifications()
    {
        var errors = new List<ManifestError> { new(Path.Combine(Base, "bad.yaml"), 4, 2, "unexpected indentation"), new(Path.Combine(Base, "gone.yaml"), 0, 0, "no such file or directory") };
        using JsonDocument sarif = Render(new AuditReport([], AuditSummary.Create(0, 0, 0, [], 2), errors), Base);
        JsonElement run = sarif.RootElement.GetProperty("runs")[0];
        Assert.Empty(run.GetProperty("results").EnumerateArray());
        Assert.Empty(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray());
        JsonElement invocation = run.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        JsonElement[] notes = invocation.GetProperty("toolExecutionNotifications").EnumerateArray().ToArray();
        Assert.Equal(["unexpected indentation", "no such file or directory"], notes.Select(n => n.GetProperty("message").GetProperty("text").GetString()));
        JsonElement region = notes[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal((4, 2), (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32()));
        Assert.False(notes[1].GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out _));
    }

    [Fact]
    public void Formats_are_created_by_name()
    {
        Assert.IsType<AuditTableFormatter>(AuditFormats.Create("table", false, ".", null));
        Assert.IsType<AuditJsonFormatter>(AuditFormats.Create("json", false, ".", null));
        Assert.IsType<AuditSarifFormatter>(AuditFormats.Create("sarif", false, ".", null));
        Assert.Null(AuditFormats.Create("xml", false, ".", null));
    }
}
