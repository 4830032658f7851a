using System.Text.Json;
using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

public class AuditJsonFormatterTests
{
    [Fact]
    public void Json_output_parses_back_with_every_finding_field_the_summary_and_errors()
    {
        var output = new StringWriter();
        new AuditJsonFormatter().Write(AuditReportSamples.Report([new ManifestError("bad.yaml", 2, 5, "duplicate mapping key \"a\"")]), output);
        using JsonDocument document = JsonDocument.Parse(output.ToString());
        JsonElement root = document.RootElement;

        JsonElement findings = root.GetProperty("findings");
        Assert.Equal(4, findings.GetArrayLength());
        JsonElement first = findings[0];
        Assert.Equal("deploy/web.yaml", first.GetProperty("file").GetString());
        Assert.Equal(12, first.GetProperty("line").GetInt32());
        Assert.Equal("apps/v1", first.GetProperty("apiVersion").GetString());
        Assert.Equal("Deployment", first.GetProperty("kind").GetString());
        Assert.Equal("prod", first.GetProperty("namespace").GetString());
        Assert.Equal("web", first.GetProperty("name").GetString());
        Assert.Equal("production", first.GetProperty("policy").GetString());
        Assert.Equal("resource-limits", first.GetProperty("rule").GetString());
        Assert.Equal("web", first.GetProperty("container").GetString());
        Assert.Equal("spec.template.spec.containers[0].resources.limits", first.GetProperty("field").GetString());
        Assert.Equal("warn", first.GetProperty("action").GetString());
        Assert.Equal("medium", first.GetProperty("severity").GetString());
        Assert.Contains("no memory limit", first.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, findings[2].GetProperty("container").ValueKind);
        Assert.Equal(JsonValueKind.Null, findings[2].GetProperty("namespace").ValueKind);
        Assert.Equal("container \"web\" runs as UID 0;\nset runAsNonRoot: true", findings[1].GetProperty("message").GetString());

        JsonElement summary = root.GetProperty("summary");
        Assert.Equal(5, summary.GetProperty("objectsScanned").GetInt32());
        Assert.Equal(2, summary.GetProperty("workloadsEvaluated").GetInt32());
        Assert.Equal(3, summary.GetProperty("skipped").GetInt32());
        Assert.Equal(1, summary.GetProperty("filesWithErrors").GetInt32());
        JsonElement byAction = summary.GetProperty("findingsByAction");
        Assert.Equal((2, 1, 1, 0), (byAction.GetProperty("deny").GetInt32(), byAction.GetProperty("warn").GetInt32(),
            byAction.GetProperty("alert").GetInt32(), byAction.GetProperty("dryrun").GetInt32()));

        JsonElement error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(("bad.yaml", 2, 5), (error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
    }
}
