using System.Text;
using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

public class AuditRunnerTests
{
    private static ManifestReadResult Read(string yaml) =>
        new ManifestReader(new StringReader(yaml)).Read([ManifestReader.StdinPath]);

    private const string Manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cfg}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: busybox}]
        """;

    // A stand-in for the engine: Deployments and Pods are workloads, a Deployment without spec.template is invalid.
    private static WorkloadEvaluation Fake(ManifestObject obj, Func<ManifestObject, AuditFinding[]> findings) => obj.Kind switch
    {
        "Deployment" when !Encoding.UTF8.GetString(obj.Json).Contains("\"template\"") => WorkloadEvaluation.Invalid("spec.template: required"),
        "Deployment" or "Pod" => WorkloadEvaluation.Evaluated(findings(obj)),
        _ => WorkloadEvaluation.NotAWorkload,
    };

    [Fact]
    public void Workloads_are_evaluated_and_other_kinds_skipped()
    {
        var seen = new List<string>();
        AuditReport report = AuditRunner.Run(Read(Manifests), obj => Fake(obj, o =>
        {
            seen.Add(o.Kind + " " + o.Name);
            return o.Kind == "Pod"
                ? [new AuditFinding(o, "p", "r", "c", "spec.containers[0].image", "m", AuditActions.Deny, "high")]
                : [new AuditFinding(o, "p", "w", null, null, "m", AuditActions.Warn, "low")];
        }));

        Assert.Equal(["Deployment web", "Pod p"], seen);
        Assert.Equal(new AuditSummary(3, 2, 1, 1, 1, 0, 0, 0), report.Summary);
        Assert.Equal(1, AuditRunner.ExitCode(report));
    }

    [Fact]
    public void Clean_input_exits_zero_and_warnings_do_not_fail()
    {
        AuditReport report = AuditRunner.Run(Read(Manifests), obj => Fake(obj, o =>
            [new AuditFinding(o, "p", "w", null, null, "m", AuditActions.Warn, "low")]));
        Assert.Equal(0, AuditRunner.ExitCode(report));
    }

    [Fact]
    public void Read_errors_and_invalid_workloads_exit_two_with_file_and_line()
    {
        ManifestReadResult input = Read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: 1}\n---\na: [\n");
        AuditReport report = AuditRunner.Run(input, obj => Fake(obj, _ => throw new InvalidOperationException("must not be called")));
        Assert.Equal(2, report.Errors.Count);
        Assert.Equal("-", report.Errors[0].File);
        Assert.Contains("unterminated flow collection", report.Errors[0].Message);
        Assert.Equal("Deployment broken: spec.template: required", report.Errors[1].Message);
        Assert.Equal(1, report.Errors[1].Line);
        Assert.Equal(1, report.Summary.FilesWithErrors);
        Assert.Equal(2, AuditRunner.ExitCode(report));
    }
}
