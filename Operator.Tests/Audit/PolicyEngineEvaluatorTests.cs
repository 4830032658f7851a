using System.Text;
using SecurityOperator.Audit;
using SecurityOperator.Policy.Defaults;

namespace SecurityOperator.Tests.Audit;

/// <summary>How a violation reads in the audit's message column.</summary>
public class PolicyEngineEvaluatorTests
{
    private static IReadOnlyList<AuditFinding> Audit(string podJson)
    {
        var evaluator = new PolicyEngineEvaluator([DefaultPolicySet.Policy], new Dictionary<string, Dictionary<string, string>>());
        var evaluation = evaluator.Evaluate(new ManifestObject("pod.yaml", 1, "v1", "Pod", "default", "p", Encoding.UTF8.GetBytes(podJson)));
        return evaluation.Findings;
    }

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
         "spec":{"hostNetwork":true,"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
          "containers":[{"name":"app","image":"nginx:1.25","resources":{"limits":{"cpu":"1","memory":"1Gi"}},
            "ports":[{"containerPort":80,"hostPort":8080}],
            "env":[{"name":"DB_PASSWORD","value":"hunter2"}],
            "securityContext":{"allowPrivilegeEscalation":true,"capabilities":{"drop":["NET_RAW"]}}}]}}
        """;

    private static AuditFinding Finding(IReadOnlyList<AuditFinding> findings, string fieldSuffix) =>
        Assert.Single(findings, f => f.Field!.EndsWith(fieldSuffix, StringComparison.Ordinal));

    [Fact]
    public void AValueTheMessageAlreadyNamesIsNotRepeated()
    {
        var findings = Audit(Pod);
        Assert.Equal("podSecurity/hostPorts: violates PodSecurity \"restricted:latest\": hostPort (container \"app\" uses hostPort 8080); fix: remove hostPort or use a Service",
            Finding(findings, "ports[0].hostPort").Message);
        Assert.Equal("podSecurity/hostNamespaces: violates PodSecurity \"restricted:latest\": host namespaces (hostNetwork=true); fix: remove spec.hostNetwork (or set it to false)",
            Finding(findings, "spec.hostNetwork").Message);
    }

    [Fact]
    public void AValueTheMessageDoesNotNameIsShown()
    {
        var findings = Audit(Pod);
        Assert.Equal("podSecurity/capabilities_restricted: violates PodSecurity \"restricted:latest\": unrestricted capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]) (found [\"NET_RAW\"]); fix: drop ALL capabilities: securityContext.capabilities.drop: [\"ALL\"]",
            Finding(findings, "capabilities.drop").Message);
        Assert.Equal("podSecurity/allowPrivilegeEscalation: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false) (found true); fix: set securityContext.allowPrivilegeEscalation: false",
            Finding(findings, "allowPrivilegeEscalation").Message);
    }

    [Fact]
    public void AbsentAndRedactedValuesAreNotShown()
    {
        var findings = Audit(Pod.Replace("\"allowPrivilegeEscalation\":true,", "", StringComparison.Ordinal));
        Assert.Equal("podSecurity/allowPrivilegeEscalation: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false); fix: set securityContext.allowPrivilegeEscalation: false",
            Finding(findings, "allowPrivilegeEscalation").Message);
        Assert.Equal("exposedSecrets: env DB_PASSWORD looks like a credential and has a literal value; fix: move the value to a Secret mounted as a volume",
            Finding(findings, "env[0].value").Message);
    }
}
