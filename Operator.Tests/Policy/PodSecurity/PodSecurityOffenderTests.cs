using System.Text.Json.Nodes;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>A failed Pod Security check is reported once per offender: which container, which field, the value
/// found, upstream's wording for that offender, and a concrete fix.</summary>
public class PodSecurityOffenderTests
{
    private static List<ReportedViolation> Run(JsonObject obj, string level = "restricted", string version = "latest") =>
        PolicyTestKit.Evaluate(PolicyTestKit.Rule("[{\"podSecurity\":{\"level\":\"" + level + "\",\"version\":\"" + version + "\"}}]"), obj).Violations;

    private static JsonObject Deployment(JsonObject pod) => JsonNode.Parse(
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"template":"""
        + pod.ToJsonString() + "}}")!.AsObject();

    private static ReportedViolation Only(List<ReportedViolation> violations, string check) =>
        Assert.Single(violations, v => v.Condition == $"podSecurity/{check}");

    [Fact]
    public void EachContainerMissingAllowPrivilegeEscalationIsItsOwnViolation()
    {
        var pod = PssPods.Base();
        pod.ContainerSc().Remove("allowPrivilegeEscalation");
        pod["spec"]!["initContainers"]![0]!["securityContext"]!["allowPrivilegeEscalation"] = true;
        var violations = Run(Deployment(pod)).Where(v => v.Condition == "podSecurity/allowPrivilegeEscalation").ToList();
        Assert.Equal(
        [
            ("init", "spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation", "true"),
            ("app", "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation", null),
        ], violations.Select(v => (v.Container, v.FieldPath, v.Value)));
        Assert.Equal("violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false)",
            violations[1].Message);
        Assert.Equal("set securityContext.allowPrivilegeEscalation: false", violations[1].Fix);
    }

    [Fact]
    public void CapabilitiesPointAtDropAndAtEachAddedCapability()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["capabilities"] = JsonNode.Parse("""{"add":["NET_BIND_SERVICE","SYS_ADMIN"],"drop":["NET_RAW"]}""");
        var violations = Run(pod).Where(v => v.Condition == "podSecurity/capabilities_restricted").ToList();
        Assert.Equal(
        [
            ("app", "spec.containers[0].securityContext.capabilities.drop", "[\"NET_RAW\"]"),
            ("app", "spec.containers[0].securityContext.capabilities.add", "\"SYS_ADMIN\""),
        ], violations.Select(v => (v.Container, v.FieldPath, v.Value)));
        Assert.Equal("drop ALL capabilities: securityContext.capabilities.drop: [\"ALL\"]", violations[0].Fix);
        Assert.EndsWith("unrestricted capabilities (container \"app\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add)", violations[1].Message);
        Assert.Equal("remove \"SYS_ADMIN\" from securityContext.capabilities.add (restricted allows only NET_BIND_SERVICE)", violations[1].Fix);

        var baseline = Only(Run(pod, "baseline"), "capabilities_baseline");
        Assert.Equal(("spec.containers[0].securityContext.capabilities.add", "\"SYS_ADMIN\""), (baseline.FieldPath, baseline.Value));
        Assert.EndsWith("non-default capabilities (container \"app\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add)", baseline.Message);
    }

    [Fact]
    public void HostPortNamesThePortEntry()
    {
        var pod = PssPods.Base();
        pod.Container()["ports"] = JsonNode.Parse("""[{"containerPort":80},{"containerPort":443,"hostPort":8443}]""");
        var v = Only(Run(pod), "hostPorts");
        Assert.Equal(("app", "spec.containers[0].ports[1].hostPort", "8443"), (v.Container, v.FieldPath, v.Value));
        Assert.EndsWith("hostPort (container \"app\" uses hostPort 8443)", v.Message);
        Assert.Equal("remove hostPort or use a Service", v.Fix);
    }

    [Fact]
    public void UnsetSeccompAndRunAsNonRootSayThePodLevelCoversEveryContainer()
    {
        var pod = PssPods.Base();
        pod.PodSc().Remove("seccompProfile");
        pod.PodSc().Remove("runAsNonRoot");
        var violations = Run(pod);
        var seccomp = violations.Where(v => v.Condition == "podSecurity/seccompProfile_restricted").ToList();
        Assert.Equal(
        [
            ("init", "spec.initContainers[0].securityContext.seccompProfile.type"),
            ("app", "spec.containers[0].securityContext.seccompProfile.type"),
        ], seccomp.Select(v => (v.Container!, v.FieldPath)));
        Assert.All(seccomp, v => Assert.Null(v.Value));
        Assert.EndsWith("seccompProfile (pod or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")", seccomp[1].Message);
        Assert.Equal("set seccompProfile.type: RuntimeDefault (pod securityContext covers every container)", seccomp[1].Fix);

        var nonRoot = violations.Where(v => v.Condition == "podSecurity/runAsNonRoot").ToList();
        Assert.Equal(["spec.initContainers[0].securityContext.runAsNonRoot", "spec.containers[0].securityContext.runAsNonRoot"], nonRoot.Select(v => v.FieldPath));
        Assert.Equal("set runAsNonRoot: true (pod securityContext covers every container)", nonRoot[0].Fix);
    }

    [Fact]
    public void AForbiddenPodLevelValueIsReportedOnceForThePod()
    {
        var pod = PssPods.Base();
        pod.PodSc()["seccompProfile"] = JsonNode.Parse("""{"type":"Unconfined"}""");
        pod.PodSc()["runAsNonRoot"] = false;
        var violations = Run(pod);
        var seccomp = Only(violations, "seccompProfile_restricted");
        Assert.Equal((null, "spec.securityContext.seccompProfile.type", "\"Unconfined\""), (seccomp.Container, seccomp.FieldPath, seccomp.Value));
        Assert.EndsWith("seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")", seccomp.Message);
        Assert.Equal("set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost)", seccomp.Fix);
        var nonRoot = Only(violations, "runAsNonRoot");
        Assert.Equal(("spec.securityContext.runAsNonRoot", "false"), (nonRoot.FieldPath, nonRoot.Value));
        Assert.Equal("set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser)", nonRoot.Fix);
    }

    [Fact]
    public void PodLevelFailuresUsePodPaths()
    {
        var pod = PssPods.Base();
        pod.Spec()["hostNetwork"] = true;
        pod.Spec()["volumes"] = JsonNode.Parse("""[{"name":"c","configMap":{"name":"x"}},null,{"name":"root","hostPath":{"path":"/"}}]""");
        pod.PodSc()["sysctls"] = JsonNode.Parse("""[{"name":"kernel.msgmax","value":"1"}]""");
        var violations = Run(pod);
        var host = Only(violations, "hostNamespaces");
        Assert.Equal((null, "spec.hostNetwork", "true", "remove spec.hostNetwork (or set it to false)"), (host.Container, host.FieldPath, host.Value, host.Fix));
        var volume = Only(violations, "restrictedVolumes");
        Assert.Equal("spec.volumes[2].hostPath", volume.FieldPath);
        Assert.EndsWith("restricted volume types (volume \"root\" uses restricted volume type \"hostPath\")", volume.Message);
        var sysctl = Only(violations, "sysctls");
        Assert.Equal(("spec.securityContext.sysctls[0].name", "\"kernel.msgmax\""), (sysctl.FieldPath, sysctl.Value));
        Assert.EndsWith("forbidden sysctls (kernel.msgmax)", sysctl.Message);
        var hostPath = Only(Run(pod, "baseline"), "hostPathVolumes");
        Assert.Equal(("spec.volumes[2].hostPath", "\"/\""), (hostPath.FieldPath, hostPath.Value));
    }

    [Fact]
    public void AnnotationsArePathsUnderMetadataAndNameTheirContainer()
    {
        var pod = PssPods.Base();
        pod["metadata"]!["annotations"] = JsonNode.Parse("""
            {"container.apparmor.security.beta.kubernetes.io/app":"unconfined",
             "container.seccomp.security.alpha.kubernetes.io/app":"unconfined"}
            """);
        var appArmor = Only(Run(pod), "appArmorProfile");
        Assert.Equal(("app", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]", "\"unconfined\""),
            (appArmor.Container, appArmor.FieldPath, appArmor.Value));
        var seccomp = Only(Run(pod, "baseline", "v1.18"), "seccompProfile_baseline");
        Assert.Equal(("app", "metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]"), (seccomp.Container, seccomp.FieldPath));
    }

    [Fact]
    public void ProbeHostAndSeLinuxPointAtTheirSubfields()
    {
        var pod = PssPods.Base();
        pod.Container()["lifecycle"] = JsonNode.Parse("""{"preStop":{"tcpSocket":{"host":"10.0.0.1","port":80}}}""");
        pod.ContainerSc()["seLinuxOptions"] = JsonNode.Parse("""{"type":"spc_t","user":"root"}""");
        var violations = Run(pod);
        var probe = Only(violations, "hostProbesAndHostLifecycle");
        Assert.Equal(("spec.containers[0].lifecycle.preStop.tcpSocket.host", "\"10.0.0.1\""), (probe.FieldPath, probe.Value));
        Assert.Equal(["spec.containers[0].securityContext.seLinuxOptions.type", "spec.containers[0].securityContext.seLinuxOptions.user"],
            violations.Where(v => v.Condition == "podSecurity/seLinuxOptions").Select(v => v.FieldPath));
    }

    /// <summary>The checks decide pass/fail; the locators must find at least one offender for every failure, and
    /// every offender must be describable. Run over the whole conformance corpus.</summary>
    [Fact]
    public void EveryFailureInTheCorpusHasDescribableOffenders()
    {
        var facts = new PodFacts();
        var offenders = new PssOffenders();
        var failures = 0;
        foreach (var row in PodSecurityCorpus.Default.Rows)
        {
            if (row.Level == "privileged") continue;
            var level = row.Level == "baseline" ? PodSecurityLevel.Baseline : PodSecurityLevel.Restricted;
            Assert.True(PodSecurityVersion.TryParse(row.Version, out var version));
            Assert.True(PodFactReader.TryRead(row.PodJson, facts, EvaluationLimits.Default, out var error), error);
            foreach (var check in PodSecurityProfile.Resolve(level, version).Checks)
            {
                if (!check.Check(facts, null)) continue;
                failures++;
                offenders.Clear();
                check.Locate(facts, offenders);
                Assert.True(offenders.Count > 0, $"{row.Key}: {check.Id} failed without an offender");
                foreach (var o in offenders.AsSpan())
                {
                    Assert.NotEmpty(PssOffenderText.FieldPath(o, facts, ""));
                    Assert.NotEmpty(PssOffenderText.Message(check.Id, o, facts));
                    Assert.NotEmpty(PssOffenderText.Fix(check.Id, o, facts, version));
                    PssOffenderText.Value(o, facts);
                }
            }
        }
        Assert.True(failures > 300, $"only {failures} failures in the corpus");
    }
}
