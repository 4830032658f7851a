using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

public class AuditTableFormatterTests
{
    private static string Render(AuditReport report, bool color)
    {
        var output = new StringWriter { NewLine = "\n" };
        new AuditTableFormatter(color).Write(report, output);
        return output.ToString();
    }

    [Fact]
    public void Plain_table_groups_by_object_sorts_by_action_and_ends_with_the_summary()
    {
        string text = Render(AuditReportSamples.Report(), color: false);
        string expected = """
            deploy/web.yaml:12  Deployment prod/web
              ACTION  RULE                           CONTAINER  FIELD                                                       MESSAGE
              deny    production/no-root-containers  web        spec.template.spec.containers[0].securityContext.runAsUser  container "web" runs as UID 0; set runAsNonRoot: true
              warn    production/resource-limits     web        spec.template.spec.containers[0].resources.limits           container "web" has no memory limit; set resources.limits.memory

            pods/debug pod.yaml:1  Pod debug
              ACTION  RULE                           CONTAINER  FIELD                     MESSAGE
              deny    pss-restricted/hostNetwork     -          spec.hostNetwork          hostNetwork is true; remove it
              alert   production/trusted-registries  shell      spec.containers[0].image  image "busybox" is not from a trusted registry

            5 objects scanned, 2 workloads evaluated, 3 skipped (not workloads); findings: 2 deny, 1 warn, 1 alert, 0 dryrun; 0 files with errors

            """;
        Assert.Equal(expected.Replace("\r\n", "\n"), text);
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Colored_table_marks_actions_and_headings_with_ansi_codes()
    {
        string text = Render(AuditReportSamples.Report(), color: true);
        Assert.Contains("\u001b[1;31mdeny  \u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[33mwarn  \u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[35malert \u001b[0m", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[1mdeploy/web.yaml:12\u001b[0m  Deployment prod/web", text, StringComparison.Ordinal);
        // Without the escape codes the colored table is the plain one.
        string stripped = System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");
        Assert.Equal(Render(AuditReportSamples.Report(), color: false), stripped);
    }

    [Fact]
    public void Errors_and_an_empty_result_are_reported()
    {
        var errors = new List<ManifestError> { new("bad.yaml", 3, 7, "unterminated flow collection"), new("gone.yaml", 0, 0, "no such file or directory") };
        var report = new AuditReport([], AuditSummary.Create(0, 0, 0, [], 2), errors);
        string text = Render(report, color: false);
        Assert.Equal("""
            No findings.
            Errors:
              error  bad.yaml:3:7: unterminated flow collection
              error  gone.yaml: no such file or directory

            0 objects scanned, 0 workloads evaluated, 0 skipped (not workloads); findings: 0 deny, 0 warn, 0 alert, 0 dryrun; 2 files with errors

            """.Replace("\r\n", "\n"), text);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "", true)]
    [InlineData(true, "1", false)]
    [InlineData(false, null, false)]
    public void Color_only_on_a_terminal_without_NO_COLOR(bool terminal, string? noColor, bool expected) =>
        Assert.Equal(expected, AuditColor.ShouldColor(terminal, noColor));
}
