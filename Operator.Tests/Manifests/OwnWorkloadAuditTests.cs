using SecurityOperator.Audit;
using SecurityOperator.Policy.Defaults;

namespace SecurityOperator.Tests.Manifests;

/// <summary>The operator practises what it enforces: its own audit (--role audit's engine, in process) with the
/// built-in set (Pod Security restricted at latest plus the seed's production rules) finds nothing in manifests/.</summary>
public class OwnWorkloadAuditTests
{
    private static AuditReport Audit(string path)
    {
        var labels = ManifestTree.OfKind("Namespace").ToDictionary(
            ns => ns.Name,
            ns => ns.Object.GetProperty("metadata").TryGetProperty("labels", out var l)
                ? l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var evaluator = new PolicyEngineEvaluator([DefaultPolicySet.Policy], labels);
        return AuditRunner.Run(new ManifestReader(TextReader.Null).Read([path]), evaluator.Evaluate);
    }

    /// <summary>The node agent's documented exceptions (manifests/node/daemonset.yaml and namespace.yaml say why): it runs
    /// as uid 0 with BPF, PERFMON, NET_ADMIN and SYS_PTRACE added, with hostPID (policy executables are resolved below
    /// /proc/&lt;pid&gt;/root of container processes), and mounts /sys/fs/cgroup, /sys/kernel/btf and the CIS scan's host
    /// paths read-only, in a
    /// namespace of its own that Pod Security admission lets run "privileged". Exactly these, nothing more.</summary>
    private static readonly string[] NodeAgentExceptions =
    [
        "spec.template.spec.containers[0].securityContext.capabilities.add podSecurity/capabilities_restricted",
        "spec.template.spec.containers[0].securityContext.capabilities.add podSecurity/capabilities_restricted",
        "spec.template.spec.containers[0].securityContext.capabilities.add podSecurity/capabilities_restricted",
        "spec.template.spec.containers[0].securityContext.capabilities.add podSecurity/capabilities_restricted",
        "spec.template.spec.containers[0].securityContext.runAsNonRoot podSecurity/runAsNonRoot",
        "spec.template.spec.containers[0].securityContext.runAsUser podSecurity/runAsUser",
        "spec.template.spec.containers[0].securityContext.runAsUser runAsRoot",
        "spec.template.spec.hostPID podSecurity/hostNamespaces",
        "spec.template.spec.volumes[0].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[1].hostPath podSecurity/restrictedVolumes",
        // The CIS node scan's read-only host views (/etc/kubernetes, /var/lib/kubelet, /proc, systemd units, passwd, group).
        "spec.template.spec.volumes[4].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[5].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[6].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[7].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[8].hostPath podSecurity/restrictedVolumes",
        "spec.template.spec.volumes[9].hostPath podSecurity/restrictedVolumes",
    ];

    private static bool IsNodeAgent(AuditFinding f) => f.Object.SourceFile.Contains("/manifests/node/", StringComparison.Ordinal);

    private static string Describe(AuditFinding f) =>
        $"{f.Object.SourceFile}:{f.Object.Line} {f.Object.Kind}/{f.Object.Name} [{f.Action}] {f.Rule} {f.Container} {f.Field}: {f.Message}";

    [Fact]
    public void The_audit_reads_every_manifest_and_finds_nothing_in_the_operators_own_workloads()
    {
        var report = Audit(ManifestTree.Root);
        Assert.True(report.Errors.Count == 0, "manifests the audit could not read:\n" + string.Join("\n", report.Errors));
        Assert.Equal(ManifestTree.Documents.Count, report.Summary.ObjectsScanned);
        var others = report.Findings.Where(f => !IsNodeAgent(f)).ToList();
        Assert.True(others.Count == 0, "findings on the operator's own manifests:\n" + string.Join("\n", others.Select(Describe)));
        var node = report.Findings.Where(IsNodeAgent).Select(f => $"{f.Field} {f.Message[..f.Message.IndexOf(':')]}").Order(StringComparer.Ordinal).ToList();
        Assert.True(NodeAgentExceptions.SequenceEqual(node), "node agent findings:\n" + string.Join("\n", node));
        Assert.Equal(ManifestTree.Objects.Count(d => RbacManifestTests.PodSpec(d.Object) is not null), report.Summary.WorkloadsEvaluated);
    }

    [Fact]
    public void The_same_check_reports_a_workload_that_breaks_the_rules()
    {
        // The harness itself can fail: a Deployment like the operator's but running as root in the operator's namespace.
        var dir = Directory.CreateTempSubdirectory("own-audit-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: rooted, namespace: security-operator}
                spec:
                  selector: {matchLabels: {app: rooted}}
                  template:
                    metadata: {labels: {app: rooted}}
                    spec:
                      containers:
                        - name: operator
                          image: registry.example.com/security-operator/security-operator@sha256:0000000000000000000000000000000000000000000000000000000000000000
                          securityContext: {runAsUser: 0}
                """);
            var report = Audit(dir.FullName);
            Assert.Equal(1, report.Summary.WorkloadsEvaluated);
            Assert.Contains(report.Findings, f => f.Action == AuditActions.Deny && f.Field == "spec.template.spec.containers[0].securityContext.runAsUser");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
