using System.Text.Json.Nodes;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Tests.Policy.PodSecurity;

public class PodSecurityStandardTests
{
    private static readonly PodSecurityVersion Latest = PodSecurityVersion.Latest;
    private static PodSecurityVersion V(int minor) => new(1, minor);

    private static IReadOnlyList<string> Failed(JsonObject pod, PodSecurityLevel level, PodSecurityVersion version) =>
        PodSecurityStandard.FailedChecks(pod.Bytes(), level, version);

    [Fact]
    public void RestrictedPodPassesEveryVersion()
    {
        for (var minor = 0; minor <= 40; minor++)
            Assert.Empty(Failed(PssPods.Base(), PodSecurityLevel.Restricted, V(minor)));
        Assert.Empty(Failed(PssPods.Base(), PodSecurityLevel.Restricted, Latest));
    }

    [Fact]
    public void EmptyPodFailsRestrictedWithUpstreamIds()
    {
        var pod = JsonNode.Parse("""{"metadata":{},"spec":{"containers":[{"name":"a","image":"x"}]}}""")!.AsObject();
        Assert.Equal(["allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile_restricted", "capabilities_restricted"],
            Failed(pod, PodSecurityLevel.Restricted, Latest));
        Assert.Empty(Failed(pod, PodSecurityLevel.Baseline, Latest));
        Assert.Empty(Failed(pod, PodSecurityLevel.Privileged, Latest));
    }

    [Fact]
    public void VersionBoundariesOfRestrictedChecks()
    {
        var pod = JsonNode.Parse("""{"metadata":{},"spec":{"containers":[{"name":"a","image":"x"}]}}""")!.AsObject();
        Assert.Equal(["runAsNonRoot"], Failed(pod, PodSecurityLevel.Restricted, V(7)));
        Assert.Equal(["allowPrivilegeEscalation", "runAsNonRoot"], Failed(pod, PodSecurityLevel.Restricted, V(18)));
        Assert.Equal(["allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile_restricted"], Failed(pod, PodSecurityLevel.Restricted, V(21)));
        Assert.Contains("capabilities_restricted", Failed(pod, PodSecurityLevel.Restricted, V(22)));
    }

    [Fact]
    public void RunAsUserZeroFailsFrom1_23()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["runAsUser"] = 0;
        Assert.Empty(Failed(pod, PodSecurityLevel.Restricted, V(22)));
        Assert.Equal(["runAsUser"], Failed(pod, PodSecurityLevel.Restricted, V(23)));
    }

    [Fact]
    public void UserNamespacesRelaxRunAsChecksFrom1_35()
    {
        var pod = PssPods.Base();
        pod.PodSc().Remove("runAsNonRoot");
        pod.PodSc()["runAsUser"] = 0;
        pod.Spec()["hostUsers"] = false;
        Assert.Equal(["runAsNonRoot", "runAsUser"], Failed(pod, PodSecurityLevel.Restricted, V(34)));
        Assert.Empty(Failed(pod, PodSecurityLevel.Restricted, V(35)));
        pod.Spec()["hostUsers"] = true;
        Assert.Equal(["runAsNonRoot", "runAsUser"], Failed(pod, PodSecurityLevel.Restricted, V(35)));
    }

    [Fact]
    public void ProcMountUnmaskedRelaxedForUserNamespacesInBaselineOnly()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["procMount"] = "Unmasked";
        Assert.Equal(["procMount"], Failed(pod, PodSecurityLevel.Baseline, V(34)));
        pod.Spec()["hostUsers"] = false;
        Assert.Equal(["procMount"], Failed(pod, PodSecurityLevel.Baseline, V(34)));
        Assert.Empty(Failed(pod, PodSecurityLevel.Baseline, V(35)));
        Assert.Equal(["procMount_restricted"], Failed(pod, PodSecurityLevel.Restricted, V(35)));
        Assert.Equal(["procMount"], Failed(pod, PodSecurityLevel.Restricted, V(34)));
    }

    [Fact]
    public void WindowsPodsExemptFromSomeRestrictedChecksFrom1_25()
    {
        var pod = JsonNode.Parse("""{"metadata":{},"spec":{"os":{"name":"windows"},"securityContext":{"runAsNonRoot":true},"containers":[{"name":"a","image":"x"}]}}""")!.AsObject();
        Assert.Equal(["allowPrivilegeEscalation", "seccompProfile_restricted", "capabilities_restricted"], Failed(pod, PodSecurityLevel.Restricted, V(24)));
        Assert.Empty(Failed(pod, PodSecurityLevel.Restricted, V(25)));
    }

    [Theory]
    [InlineData("net.ipv4.ip_local_reserved_ports", 27)]
    [InlineData("net.ipv4.tcp_keepalive_time", 29)]
    [InlineData("net.ipv4.tcp_fin_timeout", 29)]
    [InlineData("net.ipv4.tcp_rmem", 32)]
    [InlineData("net.ipv4.tcp_wmem", 32)]
    [InlineData("net.ipv4.tcp_notsent_lowat", 37)]
    public void SysctlsAllowedFromTheirVersion(string sysctl, int since)
    {
        var pod = PssPods.Base();
        pod.PodSc()["sysctls"] = new JsonArray(new JsonObject { ["name"] = sysctl, ["value"] = "1" });
        Assert.Equal(["sysctls"], Failed(pod, PodSecurityLevel.Baseline, V(since - 1)));
        Assert.Empty(Failed(pod, PodSecurityLevel.Baseline, V(since)));
    }

    [Fact]
    public void SeLinuxContainerEngineTypeAllowedFrom1_31()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["seLinuxOptions"] = new JsonObject { ["type"] = "container_engine_t" };
        Assert.Equal(["seLinuxOptions"], Failed(pod, PodSecurityLevel.Baseline, V(30)));
        Assert.Empty(Failed(pod, PodSecurityLevel.Baseline, V(31)));
        pod.ContainerSc()["seLinuxOptions"] = new JsonObject { ["type"] = "container_t", ["user"] = "root" };
        Assert.Equal(["seLinuxOptions"], Failed(pod, PodSecurityLevel.Baseline, Latest));
    }

    [Fact]
    public void SeccompAnnotationsBefore1_19AndFieldsAfter()
    {
        var annotated = PssPods.Base();
        annotated["metadata"]!["annotations"] = new JsonObject { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" };
        Assert.Equal(["seccompProfile_baseline"], Failed(annotated, PodSecurityLevel.Baseline, V(18)));
        Assert.Empty(Failed(annotated, PodSecurityLevel.Baseline, V(19)));

        var field = PssPods.Base();
        field.ContainerSc()["seccompProfile"] = new JsonObject { ["type"] = "Unconfined" };
        Assert.Empty(Failed(field, PodSecurityLevel.Baseline, V(18)));
        Assert.Equal(["seccompProfile_baseline"], Failed(field, PodSecurityLevel.Baseline, V(19)));
        Assert.Equal(["seccompProfile_restricted"], Failed(field, PodSecurityLevel.Restricted, V(19)));
    }

    [Fact]
    public void ProbeHostForbiddenFrom1_34()
    {
        var pod = PssPods.Base();
        pod.Container()["livenessProbe"] = JsonNode.Parse("""{"httpGet":{"host":"10.0.0.1","port":80}}""");
        Assert.Empty(Failed(pod, PodSecurityLevel.Baseline, V(33)));
        Assert.Equal(["hostProbesAndHostLifecycle"], Failed(pod, PodSecurityLevel.Baseline, V(34)));
    }

    [Fact]
    public void BaselineHostChecks()
    {
        var pod = PssPods.Base();
        pod.Spec()["hostNetwork"] = true;
        pod.Spec()["volumes"] = JsonNode.Parse("""[{"name":"h","hostPath":{"path":"/etc"}}]""");
        pod.Container()["ports"] = JsonNode.Parse("""[{"containerPort":80,"hostPort":8080}]""");
        pod.ContainerSc()["privileged"] = true;
        pod.ContainerSc()["capabilities"] = JsonNode.Parse("""{"add":["NET_ADMIN"],"drop":["ALL"]}""");
        pod.ContainerSc()["windowsOptions"] = JsonNode.Parse("""{"hostProcess":true}""");
        Assert.Equal(["hostNamespaces", "privileged", "capabilities_baseline", "hostPathVolumes", "hostPorts", "windowsHostProcess"],
            Failed(pod, PodSecurityLevel.Baseline, Latest));
        // Restricted replaces hostPathVolumes and capabilities_baseline by their restricted counterparts.
        Assert.Equal(["hostNamespaces", "privileged", "hostPorts", "windowsHostProcess", "restrictedVolumes", "capabilities_restricted"],
            Failed(pod, PodSecurityLevel.Restricted, Latest));
    }

    [Fact]
    public void CapabilitiesBaselineStillAppliesToRestrictedBefore1_22()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["capabilities"] = JsonNode.Parse("""{"add":["SYS_ADMIN"]}""");
        Assert.Equal(["capabilities_baseline"], Failed(pod, PodSecurityLevel.Restricted, V(21)));
        Assert.Equal(["capabilities_restricted"], Failed(pod, PodSecurityLevel.Restricted, V(22)));
    }

    [Fact]
    public void AppArmorFieldAndAnnotation()
    {
        var pod = PssPods.Base();
        pod.ContainerSc()["appArmorProfile"] = new JsonObject { ["type"] = "Unconfined" };
        Assert.Equal(["appArmorProfile"], Failed(pod, PodSecurityLevel.Baseline, V(0)));
        var annotated = PssPods.Base();
        annotated["metadata"]!["annotations"] = new JsonObject { ["container.apparmor.security.beta.kubernetes.io/app"] = "localhost/custom" };
        Assert.Empty(Failed(annotated, PodSecurityLevel.Baseline, Latest));
        annotated["metadata"]!["annotations"]!["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined";
        Assert.Equal(["appArmorProfile"], Failed(annotated, PodSecurityLevel.Baseline, Latest));
    }

    [Fact]
    public void EphemeralAndInitContainersAreChecked()
    {
        var pod = PssPods.Base();
        pod.Spec()["ephemeralContainers"] = JsonNode.Parse("""[{"name":"debug","image":"busybox","securityContext":{"privileged":true}}]""");
        Assert.Contains("privileged", Failed(pod, PodSecurityLevel.Baseline, Latest));
        var explained = PodSecurityStandard.Explain(pod.Bytes(), PodSecurityLevel.Restricted, Latest);
        Assert.Contains(explained, e => e.Message == "allowPrivilegeEscalation != false (container \"debug\" must set securityContext.allowPrivilegeEscalation=false)");
    }

    [Fact]
    public void RestrictedVolumeAllowListIncludesImage()
    {
        var pod = PssPods.Base();
        pod.Spec()["volumes"] = JsonNode.Parse("""[{"name":"i","image":{"reference":"x"}},{"name":"n","nfs":{"server":"s","path":"/"}}]""");
        var explained = PodSecurityStandard.Explain(pod.Bytes(), PodSecurityLevel.Restricted, Latest);
        Assert.Equal([("restrictedVolumes", "restricted volume types (volume \"n\" uses restricted volume type \"nfs\")")], explained);
    }

    [Fact]
    public void MessagesFollowUpstreamWording()
    {
        var pod = JsonNode.Parse("""{"metadata":{},"spec":{"securityContext":{"runAsNonRoot":false},"containers":[{"name":"a","image":"x"},{"name":"b","image":"y","securityContext":{"runAsNonRoot":false}}]}}""")!;
        var explained = PodSecurityStandard.Explain(pod.Bytes(), PodSecurityLevel.Restricted, Latest).ToDictionary(e => e.Id, e => e.Message);
        Assert.Equal("runAsNonRoot != true (pod and container \"b\" must not set securityContext.runAsNonRoot=false)", explained["runAsNonRoot"]);
        Assert.Equal("unrestricted capabilities (containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"])", explained["capabilities_restricted"]);
        Assert.Equal("seccompProfile (pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")", explained["seccompProfile_restricted"]);
    }

    [Theory]
    [InlineData("latest", true, 1, int.MaxValue)]
    [InlineData("v1.25", true, 1, 25)]
    [InlineData("v1.0", true, 1, 0)]
    [InlineData("v2.1", false, 0, 0)]
    [InlineData("1.25", false, 0, 0)]
    [InlineData("v1.", false, 0, 0)]
    [InlineData("v1.-1", false, 0, 0)]
    public void VersionParsing(string text, bool ok, int major, int minor)
    {
        Assert.Equal(ok, PodSecurityVersion.TryParse(text, out var v));
        if (ok) Assert.Equal(new PodSecurityVersion(major, minor), v);
    }

    [Fact]
    public void MalformedPodIsAFormatException()
    {
        Assert.Throws<FormatException>(() => PodSecurityStandard.FailedChecks("{\"spec\":"u8, PodSecurityLevel.Baseline, Latest));
        Assert.Throws<FormatException>(() => PodSecurityStandard.FailedChecks("""{"spec":{"hostNetwork":"yes"}}"""u8, PodSecurityLevel.Baseline, Latest));
    }
}

public class SeccompAnnotationTests
{
    [Theory]
    [InlineData("seccomp.security.alpha.kubernetes.io/pod", "runtime/default", true)]
    [InlineData("seccomp.security.alpha.kubernetes.io/pod", "docker/default", true)]
    [InlineData("seccomp.security.alpha.kubernetes.io/pod", "localhost/profile.json", true)]
    [InlineData("seccomp.security.alpha.kubernetes.io/pod", "", false)]
    [InlineData("container.seccomp.security.alpha.kubernetes.io/app", "unconfined", false)]
    [InlineData("container.seccomp.security.alpha.kubernetes.io/missing", "unconfined", true)]
    public void AnnotationValuesAtV1_18(string key, string value, bool passes)
    {
        var pod = PssPods.Base();
        pod["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { [key] = value };
        var failed = PodSecurityStandard.FailedChecks(pod.Bytes(), PodSecurityLevel.Baseline, new PodSecurityVersion(1, 18));
        Assert.Equal(passes, failed.Count == 0);
    }
}

/// <summary>Edge cases reported by the conformance corpus (pss-findings F1-F6, M1).</summary>
public class PodSecurityEdgeCaseTests
{
    private static IReadOnlyList<string> Failed(string pod, PodSecurityLevel level) =>
        PodSecurityStandard.FailedChecks(System.Text.Encoding.UTF8.GetBytes(pod), level, PodSecurityVersion.Latest);

    [Fact]
    public void LeadingZeroVersionsAreRejected() => Assert.False(PodSecurityVersion.TryParse("v1.025", out _));

    [Theory]
    [InlineData("""{"spec":{"securityContext":{"seccompProfile":{"type":"runtimedefault"}},"containers":[{"name":"a"}]}}""")]
    [InlineData("""{"spec":{"securityContext":{"seccompProfile":{}},"containers":[{"name":"a"}]}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"a","securityContext":{"seccompProfile":{}}}]}}""")]
    public void PresentSeccompProfilesNeedAnAllowedType(string pod) => Assert.Equal(["seccompProfile_baseline"], Failed(pod, PodSecurityLevel.Baseline));

    [Fact]
    public void PodProfileWithoutTypeFailsRestrictedEvenWhenContainersAreSet() => Assert.Contains("seccompProfile_restricted",
        Failed("""{"spec":{"securityContext":{"seccompProfile":{}},"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"RuntimeDefault"}}}]}}""", PodSecurityLevel.Restricted));

    [Fact]
    public void SysctlWithoutNameFails() => Assert.Equal(["sysctls"], Failed("""{"spec":{"securityContext":{"sysctls":[{"value":"1"}]},"containers":[]}}""", PodSecurityLevel.Baseline));

    [Fact]
    public void NullSourceIsNoSource() => Assert.Empty(Failed("""{"spec":{"volumes":[{"name":"a","hostPath":null,"emptyDir":{}}],"containers":[]}}""", PodSecurityLevel.Baseline));

    [Fact]
    public void HostPathFailsBaselineEvenNextToAnAllowedSource()
    {
        const string pod = """{"spec":{"volumes":[{"name":"a","emptyDir":{},"hostPath":{"path":"/"}}],"containers":[]}}""";
        Assert.Equal(["hostPathVolumes"], Failed(pod, PodSecurityLevel.Baseline));
        Assert.DoesNotContain("restrictedVolumes", Failed(pod, PodSecurityLevel.Restricted));
    }

    [Fact]
    public void ExplicitSeccompSettersAloneInTheMessage()
    {
        var explained = PodSecurityStandard.Explain("""{"spec":{"securityContext":{"seccompProfile":{"type":"Unconfined"}},"containers":[{"name":"a"}]}}"""u8, PodSecurityLevel.Restricted, PodSecurityVersion.Latest);
        Assert.Contains(("seccompProfile_restricted", "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"), explained);
    }
}
