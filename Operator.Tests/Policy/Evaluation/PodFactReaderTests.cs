using System.Text;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Tests.Policy.Evaluation;

public class PodFactReaderTests
{
    private static PodFacts Read(string json)
    {
        var facts = new PodFacts();
        Assert.True(PodFactReader.TryRead(Encoding.UTF8.GetBytes(json), facts, EvaluationLimits.Default, out var error), error);
        return facts;
    }

    [Fact]
    public void EscapedNamesAndValuesAreUnescaped()
    {
        // "cont\u0061iners", "im\u0061ge" and an escaped value: JSON escapes are legal anywhere.
        var facts = Read("""{"metadata":{"labels":{"te\u0061m":"sh\u006fp"}},"spec":{"cont\u0061iners":[{"name":"a","im\u0061ge":"ngin\u0078:1.0","securityContext":{"privileged":true}}]}}""");
        var container = Assert.Single(facts.Containers.AsSpan().ToArray());
        Assert.Equal("nginx:1.0", facts.String(container.Image));
        Assert.True(container.SecurityContext.Privileged);
        Assert.Equal("shop", facts.String(facts.Label("team"u8)));
    }

    [Fact]
    public void CollectsContainerFactsInAllSections()
    {
        var facts = Read("""
            {"metadata":{"name":"p","annotations":{"container.apparmor.security.beta.kubernetes.io/a":"runtime/default","big":"ignored"}},
             "spec":{"hostNetwork":true,"hostUsers":false,"os":{"name":"linux"},"serviceAccountName":"sa",
               "securityContext":{"runAsUser":1000,"sysctls":[{"name":"kernel.shm_rmid_forced","value":"1"}]},
               "volumes":[{"name":"h","hostPath":{"path":"/var/log"}},{"name":"c","configMap":{"name":"x"}}],
               "ephemeralContainers":[{"name":"dbg","image":"busybox"}],
               "containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"hostPort":8080}],
                 "resources":{"limits":{"cpu":1,"memory":"1Gi"}},
                 "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],
                 "envFrom":[{"secretRef":{"name":"all"}}],
                 "volumeMounts":[{"name":"h","mountPath":"/logs","readOnly":true}],
                 "readinessProbe":{"tcpSocket":{"host":"10.0.0.1","port":80}},
                 "securityContext":{"capabilities":{"add":["NET_ADMIN"],"drop":["ALL"]},"seccompProfile":{"type":"Localhost"}}}],
               "initContainers":[{"name":"i","image":"y"}]}}
            """);
        Assert.Equal(["dbg", "a", "i"], facts.Containers.AsSpan().ToArray().Select(c => facts.String(c.Name)));
        Assert.Equal(ContainerSection.EphemeralContainers, facts.Containers[0].Section);
        Assert.True(facts.HostNetwork);
        Assert.False(facts.HostUsers);
        Assert.Equal("sa", facts.String(facts.ServiceAccountName));
        Assert.Equal(1000, facts.PodSecurityContext.RunAsUser);
        Assert.Equal("kernel.shm_rmid_forced", facts.String(Assert.Single(facts.Sysctls.AsSpan().ToArray()).Name));
        Assert.Single(facts.Annotations.AsSpan().ToArray());
        var a = facts.Containers[1];
        Assert.Equal(8080, facts.PortsOf(a)[0].HostPort);
        Assert.Equal(["cpu=1", "memory=1Gi"], facts.ResourcesOf(a).ToArray().Select(r => $"{facts.String(r.Name)}={facts.String(r.Quantity)}"));
        Assert.Equal([EnvSource.Literal, EnvSource.SecretKeyRef, EnvSource.EnvFromSecret], facts.EnvOf(a).ToArray().Select(e => e.Source));
        Assert.True(facts.MountsOf(a)[0].ReadOnly);
        Assert.Equal("10.0.0.1", facts.String(facts.ProbeHostsOf(a)[0].Host));
        Assert.Equal("NET_ADMIN", facts.String(facts.CapabilitiesAdded(a.SecurityContext)[0]));
        Assert.Equal("ALL", facts.String(facts.CapabilitiesDropped(a.SecurityContext)[0]));
        Assert.Equal("Localhost", facts.String(a.SecurityContext.SeccompType));
        Assert.Equal(["hostPath", "configMap"], facts.Volumes.AsSpan().ToArray().Select(v => facts.String(v.Type)));
    }

    [Fact]
    public void ReuseBetweenEvaluationsDoesNotLeakFacts()
    {
        var facts = new PodFacts();
        Assert.True(PodFactReader.TryRead("""{"spec":{"hostPID":true,"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"""u8, facts, EvaluationLimits.Default, out _));
        Assert.True(PodFactReader.TryRead("""{"spec":{"containers":[{"name":"c"}]}}"""u8, facts, EvaluationLimits.Default, out _));
        Assert.Null(facts.HostPID);
        Assert.Equal("c", facts.String(Assert.Single(facts.Containers.AsSpan().ToArray()).Name));
    }

    [Fact]
    public void ThreadScratchIsReusedPerThread()
    {
        Assert.Same(EvaluationScratch.ForCurrentThread, EvaluationScratch.ForCurrentThread);
        EvaluationScratch? other = null;
        var thread = new Thread(() => other = EvaluationScratch.ForCurrentThread);
        thread.Start();
        thread.Join();
        Assert.NotSame(EvaluationScratch.ForCurrentThread, other);
    }

    [Fact]
    public void PodSecurityExplainNamesContainersInUpstreamOrder()
    {
        var explained = PodSecurityStandard.Explain("""{"spec":{"containers":[{"name":"c","securityContext":{"privileged":true}}],"initContainers":[{"name":"i","securityContext":{"privileged":true}}]}}"""u8,
            PodSecurityLevel.Baseline, PodSecurityVersion.Latest);
        Assert.Equal([("privileged", "privileged (containers \"i\", \"c\" must not set securityContext.privileged=true)")], explained);
    }
}
