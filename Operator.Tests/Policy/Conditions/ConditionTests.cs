using System.Text.Json.Nodes;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy.Conditions;

/// <summary>One pass and one fail case (or more) per condition, with the reported path, value and message.</summary>
public class ConditionTests
{
    private static List<ReportedViolation> Run(string condition, JsonObject pod) =>
        PolicyTestKit.Evaluate(PolicyTestKit.Rule($"[{condition}]"), pod).Violations;

    private static JsonObject PodWith(string container, string? podSpecExtra = null, string? labels = null) =>
        PolicyTestKit.Pod($"[{container}]", podSpecExtra, labels);

    [Theory]
    [InlineData("registry.company.com/team/app:1.0", true)]
    [InlineData("registry.company.com:5000/app", false)]
    [InlineData("registry.company.com.evil.io/app", false)]
    [InlineData("gcr.io/company-project/api@sha256:abcd", true)]
    [InlineData("gcr.io/company-project-evil/api", false)]
    [InlineData("nginx", true)]
    [InlineData("nginx-evil", false)]
    [InlineData("docker.io/library/nginx:1.25", true)]
    [InlineData("index.docker.io/library/nginx", true)]
    [InlineData("library/nginx", true)]
    [InlineData("nginx:1.25", true)]
    [InlineData("bitnami/nginx", false)]
    [InlineData("localhost/app", false)]
    public void ImageNotFromRegistry(string image, bool allowed)
    {
        var violations = Run("""{"imageNotFromRegistry":["registry.company.com","gcr.io/company-project","nginx"]}""",
            PodWith($$"""{"name":"app","image":"{{image}}"}"""));
        Assert.Equal(allowed, violations.Count == 0);
        if (!allowed)
        {
            Assert.Equal("spec.containers[0].image", violations[0].FieldPath);
            Assert.Equal($"image \"{image}\" is not from an allowed registry (registry.company.com, gcr.io/company-project, docker.io/library/nginx)", violations[0].Message);
        }
    }

    [Theory]
    [InlineData("nginx", "*:latest", false)]
    [InlineData("nginx:latest", "*:latest", true)]
    [InlineData("nginx:1.25", "docker.io/library/nginx:*", true)]
    [InlineData("quay.io/miner/xmrig:v1", "*xmrig*", true)]
    [InlineData("quay.io/app:v1", "quay.io/ap?:v?", true)]
    [InlineData("quay.io/app:v10", "quay.io/ap?:v?", false)]
    public void ForbiddenImages(string image, string glob, bool flagged)
    {
        var violations = Run($$"""{"forbiddenImages":["{{glob}}"]}""", PodWith($$"""{"name":"app","image":"{{image}}"}"""));
        Assert.Equal(flagged, violations.Count == 1);
    }

    [Theory]
    [InlineData("nginx", true)]
    [InlineData("nginx:latest", true)]
    [InlineData("nginx:1.25", false)]
    [InlineData("registry:5000/app", true)]
    [InlineData("registry:5000/app:2", false)]
    [InlineData("nginx@sha256:0123456789abcdef", false)]
    public void ImageTagLatestOrMissing(string image, bool flagged) =>
        Assert.Equal(flagged, Run("""{"imageTagLatestOrMissing":true}""", PodWith($$"""{"name":"app","image":"{{image}}"}""")).Count == 1);

    [Theory]
    [InlineData("nginx:1.25", true)]
    [InlineData("nginx@sha256:0123456789abcdef", false)]
    [InlineData("nginx:1.25@sha256:0123", false)]
    [InlineData("nginx@", true)]
    public void ImageNotPinnedByDigest(string image, bool flagged) =>
        Assert.Equal(flagged, Run("""{"imageNotPinnedByDigest":true}""", PodWith($$"""{"name":"app","image":"{{image}}"}""")).Count == 1);

    [Theory]
    [InlineData("""{"runAsNonRoot":true}""", "{}", null)]
    [InlineData("""{"runAsUser":1000}""", "{}", null)]
    [InlineData("{}", """{"runAsUser":1000}""", null)]
    [InlineData("{}", "{}", "spec.containers[0].securityContext.runAsNonRoot")]
    [InlineData("""{"runAsUser":0}""", "{}", "spec.securityContext.runAsUser")]
    [InlineData("""{"runAsUser":0}""", """{"runAsUser":1000}""", null)]
    [InlineData("""{"runAsNonRoot":true}""", """{"runAsUser":0}""", "spec.containers[0].securityContext.runAsUser")]
    [InlineData("""{"runAsNonRoot":false}""", "{}", "spec.securityContext.runAsNonRoot")]
    public void RunAsRootWithInheritance(string podSc, string containerSc, string? flaggedPath)
    {
        var violations = Run("""{"runAsRoot":true}""",
            PodWith($$"""{"name":"app","image":"x","securityContext":{{containerSc}}}""", $"\"securityContext\":{podSc}"));
        if (flaggedPath is null) Assert.Empty(violations);
        else Assert.Equal(flaggedPath, Assert.Single(violations).FieldPath);
    }

    [Fact]
    public void RunAsRootSkipsWindowsPods() =>
        Assert.Empty(Run("""{"runAsRoot":true}""", PodWith("""{"name":"app","image":"x"}""", "\"os\":{\"name\":\"windows\"}")));

    [Fact]
    public void PrivilegedAndEscalation()
    {
        var pod = PodWith("""{"name":"app","image":"x","securityContext":{"privileged":true}}""");
        var privileged = Assert.Single(Run("""{"privilegedContainer":true}""", pod));
        Assert.Equal(("spec.containers[0].securityContext.privileged", "true"), (privileged.FieldPath, privileged.Value));
        var escalation = Assert.Single(Run("""{"allowPrivilegeEscalation":true}""", pod));
        Assert.Null(escalation.Value);
        Assert.Empty(Run("""{"allowPrivilegeEscalation":true}""", PodWith("""{"name":"app","image":"x","securityContext":{"allowPrivilegeEscalation":false}}""")));
        Assert.Empty(Run("""{"privilegedContainer":true}""", PodWith("""{"name":"app","image":"x","securityContext":{"privileged":false}}""")));
    }

    [Theory]
    [InlineData("hostNetwork")]
    [InlineData("hostPID")]
    [InlineData("hostIPC")]
    public void HostNamespaces(string field)
    {
        var flagged = Assert.Single(Run($$"""{"{{field}}":true}""", PodWith("""{"name":"a","image":"x"}""", $"\"{field}\":true")));
        Assert.Equal($"spec.{field}", flagged.FieldPath);
        Assert.Null(flagged.Container);
        Assert.Empty(Run($$"""{"{{field}}":true}""", PodWith("""{"name":"a","image":"x"}""", $"\"{field}\":false")));
    }

    [Fact]
    public void HostPathForms()
    {
        var pod = PodWith("""{"name":"a","image":"x","volumeMounts":[{"name":"logs","mountPath":"/logs"},{"name":"cfg","mountPath":"/cfg","readOnly":true}]}""",
            """ "volumes":[{"name":"logs","hostPath":{"path":"/var/log/app"}},{"name":"cfg","hostPath":{"path":"/etc/../etc/kubernetes"}},{"name":"e","emptyDir":{}}]""");
        Assert.Equal(["spec.volumes[0].hostPath.path", "spec.volumes[1].hostPath.path"], Run("""{"hostPath":true}""", pod).Select(v => v.FieldPath));
        var prefixed = Run("""{"hostPath":{"allowedPrefixes":["/var/log"]}}""", pod);
        Assert.Equal("\"/etc/../etc/kubernetes\"", Assert.Single(prefixed).Value);
        var readOnly = Assert.Single(Run("""{"hostPath":{"requireReadOnly":true}}""", pod));
        Assert.Equal("spec.containers[0].volumeMounts[0].readOnly", readOnly.FieldPath);
        Assert.Equal("a", readOnly.Container);
    }

    [Fact]
    public void HostPorts()
    {
        var pod = PodWith("""{"name":"a","image":"x","ports":[{"containerPort":80},{"containerPort":443,"hostPort":8443}]}""");
        var flagged = Assert.Single(Run("""{"hostPorts":true}""", pod));
        Assert.Equal(("spec.containers[0].ports[1].hostPort", "8443", "binds host port 8443"), (flagged.FieldPath, flagged.Value, flagged.Message));
    }

    [Fact]
    public void MissingSecurityContextAndReadOnlyRoot()
    {
        var pod = PolicyTestKit.Pod("""[{"name":"a","image":"x"},{"name":"b","image":"x","securityContext":{"readOnlyRootFilesystem":true}}]""");
        Assert.Equal(["a"], Run("""{"missingSecurityContext":true}""", pod).Select(v => v.Container));
        Assert.Equal(["a"], Run("""{"readOnlyRootFilesystemMissing":true}""", pod).Select(v => v.Container));
    }

    [Fact]
    public void AbsentFieldsHaveNoValueAndTheMessageSaysWhatIsMissing()
    {
        var pod = PolicyTestKit.Pod("""[{"name":"a","image":"x"},{"name":"b","image":"x","securityContext":{"readOnlyRootFilesystem":false}}]""");
        var limits = Run("""{"missingResourceLimits":["cpu"]}""", pod)[0];
        Assert.Equal((null, "has no cpu limit"), (limits.Value, limits.Message));
        Assert.EndsWith(": container \"a\" (spec.containers[0].resources.limits.cpu): has no cpu limit; fix: set resources.limits.cpu", limits.ToString());
        Assert.Equal((null, "has no securityContext"), (Run("""{"missingSecurityContext":true}""", pod)[0].Value, Run("""{"missingSecurityContext":true}""", pod)[0].Message));
        Assert.Null(Assert.Single(Run("""{"requiredLabels":["team"]}""", pod)).Value);
        var runAsRoot = Run("""{"runAsRoot":true}""", pod)[0];
        Assert.Equal((null, "spec.containers[0].securityContext.runAsNonRoot"), (runAsRoot.Value, runAsRoot.FieldPath));
        var readOnly = Run("""{"readOnlyRootFilesystemMissing":true}""", pod);
        Assert.Equal([(null, "has a writable root filesystem (readOnlyRootFilesystem unset)"), ("false", "has a writable root filesystem (readOnlyRootFilesystem: false)")],
            readOnly.Select(v => (v.Value, v.Message)));
    }

    [Fact]
    public void MissingResources()
    {
        var pod = PolicyTestKit.Pod("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1"},"requests":{"memory":"1Gi","cpu":1}}}]""",
            """ "ephemeralContainers":[{"name":"dbg","image":"busybox"}]""");
        var limits = Run("""{"missingResourceLimits":true}""", pod);
        Assert.Equal("spec.containers[0].resources.limits.memory", Assert.Single(limits).FieldPath);
        Assert.Equal("has no memory limit", limits[0].Message);
        Assert.Empty(Run("""{"missingResourceRequests":true}""", pod));
        Assert.Equal(["ephemeral-storage"], Run("""{"missingResourceRequests":["cpu","ephemeral-storage"]}""", pod).Select(v => v.FieldPath.Split('.').Last()));
    }

    [Fact]
    public void UnsafeCapabilitiesAddedAndNotDropped()
    {
        var pod = PolicyTestKit.Pod("""
            [{"name":"a","image":"x","securityContext":{"capabilities":{"add":["CAP_SYS_ADMIN","CHOWN"]}}},
             {"name":"b","image":"x","securityContext":{"capabilities":{"drop":["ALL"]}}},
             {"name":"c","image":"x","securityContext":{"capabilities":{"add":["ALL"],"drop":["NET_RAW"]}}}]
            """);
        var violations = Run("""{"unsafeCapabilities":["SYS_ADMIN","net_raw"]}""", pod);
        Assert.Equal(
        [
            ("a", "spec.containers[0].securityContext.capabilities.add[0]"),
            ("a", "spec.containers[0].securityContext.capabilities.drop"),
            ("c", "spec.containers[2].securityContext.capabilities.add[0]"),
        ], violations.Select(v => (v.Container!, v.FieldPath)));
        Assert.Equal("keeps default capability NET_RAW (granted by the runtime unless dropped)", violations[1].Message);
        var all = Run("""{"unsafeCapabilities":["ALL"]}""", pod);
        Assert.Equal(["a", "a", "a", "c", "c"], all.Select(v => v.Container));
    }

    [Fact]
    public void ExposedSecrets()
    {
        var pod = PolicyTestKit.Pod("""
            [{"name":"a","image":"x","env":[
              {"name":"DB_PASSWORD","value":"hunter2"},
              {"name":"LOG_LEVEL","value":"debug"},
              {"name":"CONFIG","value":"key=AKIAIOSFODNN7EXAMPLE"},
              {"name":"API_TOKEN","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},
              {"name":"EMPTY_SECRET","value":""},
              {"name":"JWT","value":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}],
             "envFrom":[{"configMapRef":{"name":"cm"}},{"secretRef":{"name":"db"}}]}]
            """);
        var violations = Run("""{"exposedSecrets":true}""", pod);
        Assert.Equal(
        [
            "spec.containers[0].env[0].value", "spec.containers[0].env[2].value", "spec.containers[0].env[3].valueFrom.secretKeyRef",
            "spec.containers[0].env[5].value", "spec.containers[0].envFrom[1].secretRef",
        ], violations.Select(v => v.FieldPath));
        Assert.Equal("env CONFIG holds a literal AWS access key id", violations[1].Message);
        Assert.Equal("env JWT holds a literal JSON Web Token", violations[3].Message);
        Assert.All(violations.Where(v => v.FieldPath.EndsWith(".value")), v => Assert.Equal("<redacted>", v.Value));
    }

    [Theory]
    [InlineData("DATABASE_PASSWORD_FILE", "/var/run/secrets/db/password", null)]
    [InlineData("db_password_file", "secrets/db/password", null)]
    [InlineData("API_TOKEN_PATH", "token", null)]
    [InlineData("SECRETS_DIR", "/run/secrets", null)]
    [InlineData("DB_PASSWORD", "/etc/db/password", null)]
    [InlineData("DB_PASSWORD_FILENAME", "password.txt", "env DB_PASSWORD_FILENAME looks like a credential and has a literal value")]
    [InlineData("DB_PASSWORD", "hunter2", "env DB_PASSWORD looks like a credential and has a literal value")]
    [InlineData("GITHUB_TOKEN_FILE", "ghp_0123456789abcdefghij0123456789abcdef", "env GITHUB_TOKEN_FILE holds a literal GitHub token")]
    [InlineData("CONFIG_PATH", "/etc/app?key=AKIAIOSFODNN7EXAMPLE", "env CONFIG_PATH holds a literal AWS access key id")]
    public void ExposedSecretsSkipsFileConventionsButNotTokenFormats(string name, string value, string? message)
    {
        var pod = PolicyTestKit.Pod($$"""[{"name":"a","image":"x","env":[{"name":"{{name}}","value":"{{value}}"}]}]""");
        var violations = Run("""{"exposedSecrets":true}""", pod);
        if (message is null) { Assert.Empty(violations); return; }
        var v = Assert.Single(violations);
        Assert.Equal(("a", "spec.containers[0].env[0].value", message, "<redacted>"), (v.Container, v.FieldPath, v.Message, v.Value));
    }

    [Theory]
    [InlineData("ghp_0123456789abcdefghij0123456789abcdef", true)]
    [InlineData("xoxb-1234567890-abcdef", true)]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIE", true)]
    [InlineData("AIzaSyA0123456789abcdefghijklmnopqrstuv", true)]
    [InlineData("xoxb-1234567890", true)]
    [InlineData("xoxb-123456789", false)]
    [InlineData("just a value", false)]
    [InlineData("AKIA123", false)]
    public void CredentialFormats(string value, bool found) =>
        Assert.Equal(found, SecurityOperator.Policy.Conditions.CredentialFormats.Find(System.Text.Encoding.UTF8.GetBytes(value)) >= 0);

    [Fact]
    public void RequiredLabelsAndMaxContainers()
    {
        var pod = PolicyTestKit.Pod("""[{"name":"a","image":"x"},{"name":"b","image":"x"}]""", """ "initContainers":[{"name":"i","image":"x"}]""", """{"app":"web"}""");
        var labels = Assert.Single(Run("""{"requiredLabels":["app","team"]}""", pod));
        Assert.Equal(("metadata.labels", "is missing required label \"team\""), (labels.FieldPath, labels.Message));
        Assert.Empty(Run("""{"maxContainers":3}""", pod));
        var max = Assert.Single(Run("""{"maxContainers":2}""", pod));
        Assert.Equal("has 3 containers, more than the maximum of 2", max.Message);
    }

    [Fact]
    public void PodSecurityReportsEachFailedCheck()
    {
        var violations = Run("""{"podSecurity":{"level":"baseline","version":"v1.24"}}""",
            PodWith("""{"name":"a","image":"x","securityContext":{"privileged":true}}""", "\"hostPID\":true"));
        Assert.Equal(["podSecurity/hostNamespaces", "podSecurity/privileged"], violations.Select(v => v.Condition));
        Assert.Equal("violates PodSecurity \"baseline:v1.24\": host namespaces (hostPID=true)", violations[0].Message);
    }
}

public class HostPathMessageTests
{
    [Fact]
    public void MessageNamesTheVolumeEvenAfterNullElements()
    {
        var pod = PolicyTestKit.Pod("""[{"name":"a","image":"x"}]""", """ "volumes":[null,{"name":"etc","hostPath":{"path":"/etc"}}]""");
        var violation = Assert.Single(PolicyTestKit.Evaluate(PolicyTestKit.Rule("""[{"hostPath":true}]"""), pod).Violations);
        Assert.Equal("spec.volumes[1].hostPath.path", violation.FieldPath);
        Assert.Equal("uses hostPath volume \"etc\" (path \"/etc\")", violation.Message);
    }
}
