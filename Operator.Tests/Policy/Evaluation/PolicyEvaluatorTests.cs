using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy.Evaluation;

public class PolicyEvaluatorTests
{
    internal const string CleanContainer = """
        {"name":"NAME","image":"registry.company.com/team/app:1.2.3",
         "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},
         "securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true,"runAsUser":10001},
         "ports":[{"containerPort":8080}],"env":[{"name":"LOG_LEVEL","value":"info"}],"volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}
        """;

    internal static string CleanPod(int containers = 3) =>
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"prod","labels":{"app":"web","tier":"frontend"}},"spec":{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},"volumes":[{"name":"tmp","emptyDir":{}}],"containers":["""
        + string.Join(",", Enumerable.Range(0, containers).Select(i => CleanContainer.Replace("NAME", $"c{i}"))) + "]}}";

    [Fact]
    public void CleanPodPassesTheDefaultSet()
    {
        var (result, violations) = PolicyTestKit.Evaluate(DefaultPolicySet.Set, Encoding.UTF8.GetBytes(CleanPod()));
        Assert.Equal(EvaluationStatus.Evaluated, result.Status);
        Assert.Empty(violations);
        Assert.False(result.Denied);
    }

    [Fact]
    public void CleanPodEvaluationAllocatesNothing()
    {
        var json = Encoding.UTF8.GetBytes(CleanPod());
        var set = DefaultPolicySet.Set;
        var facts = new PodFacts();
        var buffer = new ViolationBuffer();
        // Warm-up past tiered-JIT promotion so that only steady-state evaluation is measured.
        for (var i = 0; i < 2_000; i++) PolicyEvaluator.Evaluate(json, set, facts, buffer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) PolicyEvaluator.Evaluate(json, set, facts, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void ViolationsAreWrittenWithoutAllocatingOnceWarm()
    {
        var pod = JsonNode.Parse(CleanPod(3))!.AsObject();
        pod["spec"]!["containers"]![1]!["securityContext"]!["runAsUser"] = 0;
        pod["spec"]!["hostPID"] = true;
        var json = Encoding.UTF8.GetBytes(pod.ToJsonString());
        var set = DefaultPolicySet.Set;
        var facts = new PodFacts();
        var buffer = new ViolationBuffer();
        for (var i = 0; i < 2_000; i++) PolicyEvaluator.Evaluate(json, set, facts, buffer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) PolicyEvaluator.Evaluate(json, set, facts, buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(buffer.Count >= 3);
    }

    [Fact]
    public void ViolatingPodIsDeniedWithPathsContainerValueAndFix()
    {
        var pod = JsonNode.Parse(CleanPod(2))!.AsObject();
        var c1 = pod["spec"]!["containers"]![1]!.AsObject();
        c1["securityContext"]!["runAsUser"] = 0;
        c1["image"] = "nginx";
        var (result, violations) = PolicyTestKit.Evaluate(DefaultPolicySet.Policy, pod);
        Assert.True(result.Denied);
        var root = Assert.Single(violations, v => v.Rule == "no-root-containers");
        Assert.Equal("c1", root.Container);
        Assert.Equal("spec.containers[1].securityContext.runAsUser", root.FieldPath);
        Assert.Equal("0", root.Value);
        Assert.Equal(Disposition.Deny, root.Disposition);
        Assert.Equal("Pod web", root.Workload);
        var pss = Assert.Single(violations, v => v.Condition == "podSecurity/runAsUser");
        Assert.Contains("runAsUser=0 (container \"c1\" must not set runAsUser=0)", pss.Message);
        var latest = Assert.Single(violations, v => v.Rule == "pinned-images");
        Assert.Equal("spec.containers[1].image", latest.FieldPath);
        Assert.Equal("\"nginx\"", latest.Value);
        Assert.Equal(Disposition.Alert, latest.Disposition);
        Assert.StartsWith("ClusterSecurityPolicy security-operator-default/no-root-containers: Pod web: container \"c1\" (spec.containers[1].securityContext.runAsUser = 0): runs as root", root.ToString());
    }

    [Theory]
    [InlineData("Deployment", "spec.template.")]
    [InlineData("ReplicaSet", "spec.template.")]
    [InlineData("StatefulSet", "spec.template.")]
    [InlineData("DaemonSet", "spec.template.")]
    [InlineData("Job", "spec.template.")]
    [InlineData("ReplicationController", "spec.template.")]
    [InlineData("CronJob", "spec.jobTemplate.spec.template.")]
    public void WorkloadsAreEvaluatedThroughTheirTemplate(string kind, string prefix)
    {
        var template = JsonNode.Parse(CleanPod(2))!.AsObject();
        template.Remove("apiVersion");
        template.Remove("kind");
        template["spec"]!["containers"]![0]!["securityContext"]!["privileged"] = true;
        JsonObject spec = kind == "CronJob"
            ? new JsonObject { ["schedule"] = "* * * * *", ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } } }
            : new JsonObject { ["replicas"] = 2, ["template"] = template };
        var policy = PolicyTestKit.Rule("""[{"privilegedContainer":true}]""");
        // Kind before spec (the API server's order: one pass into the template), and after it (the locator then
        // scans the spec again): the result must not depend on field order.
        var kindFirst = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "w" }, ["spec"] = spec.DeepClone() };
        var specFirst = new JsonObject { ["apiVersion"] = "apps/v1", ["spec"] = spec, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "w" } };
        foreach (var obj in new[] { kindFirst, specFirst })
        {
            var (result, violations) = PolicyTestKit.Evaluate(policy, obj);
            Assert.Equal(EvaluationStatus.Evaluated, result.Status);
            var v = Assert.Single(violations);
            Assert.Equal($"{prefix}spec.containers[0].securityContext.privileged", v.FieldPath);
            Assert.Equal($"{kind} w", v.Workload);
            Assert.Equal("c0", v.Container);
        }
    }

    /// <summary>A workload's template is read in place by the pass that finds it; where it is and how long it is must be
    /// what the locator alone says, and the facts those of the same template read on its own.</summary>
    [Fact]
    public void ATemplateReadInPlaceHasTheLocatorsRangeAndTheSameFacts()
    {
        var template = JsonNode.Parse(CleanPod(3))!.AsObject();
        template.Remove("apiVersion");
        template.Remove("kind");
        var deployment = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "w" },
            ["spec"] = new JsonObject { ["replicas"] = 2, ["template"] = template.DeepClone() }, ["status"] = new JsonObject(),
        }.ToJsonString());
        Assert.Equal(LocateStatus.Found, PodTemplateLocator.TryLocate(deployment, null, EvaluationLimits.Default, out var located, out _));
        var inPlace = new PodFacts();
        Assert.Equal(LocateStatus.Found, PodTemplateLocator.TryLocateAndRead(deployment, null, EvaluationLimits.Default, inPlace, out var read, out var error));
        Assert.Null(error);
        Assert.True(read.FactsRead);
        Assert.Equal(located with { FactsRead = true }, read);
        Assert.Equal(template.ToJsonString(), Encoding.UTF8.GetString(deployment, read.Start, read.Length));

        var separate = new PodFacts();
        Assert.True(PodFactReader.TryRead(Encoding.UTF8.GetBytes(template.ToJsonString()), separate, EvaluationLimits.Default, out _));
        Assert.Equal(separate.Containers.Count, inPlace.Containers.Count);
        for (var i = 0; i < separate.Containers.Count; i++)
        {
            Assert.Equal(separate.String(separate.Containers[i].Name), inPlace.String(inPlace.Containers[i].Name));
            Assert.Equal(separate.String(separate.Containers[i].Image), inPlace.String(inPlace.Containers[i].Image));
        }
        Assert.Equal(separate.Env.Count, inPlace.Env.Count);
        Assert.Equal(separate.VolumeMounts.Count, inPlace.VolumeMounts.Count);
        Assert.Equal(separate.String(separate.ServiceAccountName), inPlace.String(inPlace.ServiceAccountName));
    }

    [Fact]
    public void KindFromTheRequestWinsAndOtherKindsAreNotWorkloads()
    {
        var policy = PolicyTestKit.Rule("""[{"hostNetwork":true}]""");
        var pod = JsonNode.Parse("""{"metadata":{"name":"x"},"spec":{"hostNetwork":true,"containers":[]}}""")!;
        var (result, violations) = PolicyTestKit.Evaluate(policy, pod, new EvaluationRequest(Kind: "Pod"));
        Assert.Equal("spec.hostNetwork", Assert.Single(violations).FieldPath);
        var (other, _) = PolicyTestKit.Evaluate(policy, JsonNode.Parse("""{"kind":"ConfigMap","data":{}}""")!);
        Assert.Equal(EvaluationStatus.NotAWorkload, other.Status);
        Assert.Equal(EvaluationStatus.NotAWorkload, PolicyTestKit.Evaluate(policy, pod).Result.Status);
    }

    [Theory]
    [InlineData("""{"kind":"Pod","spec":""", "malformed JSON")]
    [InlineData("""[1,2]""", "expected a JSON object")]
    [InlineData("""{"kind":"Pod","spec":{"containers":{"name":"a"}}}""", "spec.containers: expected an array, found an object")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a","securityContext":{"runAsUser":"root"}}]}}""", "spec.containers[0].securityContext.runAsUser: expected an integer, found a string")]
    [InlineData("""{"kind":"Deployment","spec":{"template":{"spec":{"hostPID":1}}}}""", "spec.template.spec.hostPID: expected a boolean, found a number")]
    [InlineData("""{"kind":"Deployment","spec":{"replicas":1}}""", "Deployment has no spec.template object")]
    [InlineData("""{"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"name":"a",}]}}}}""", "spec.template.malformed JSON: expected a property name in double quotes, found '}' (byte 76, line 1")]
    [InlineData("""{"kind":"CronJob","spec":{"jobTemplate":{"spec":{"template":{"spec":{"hostIPC":"yes"}}}}}}""", "spec.jobTemplate.spec.template.spec.hostIPC: expected a boolean, found a string")]
    [InlineData("""{"kind":"Pod","spec":{}} trailing""", "malformed JSON")]
    public void BadInputIsAnErrorResultNeverAnException(string json, string expected)
    {
        var (result, violations) = PolicyTestKit.Evaluate(DefaultPolicySet.Set, Encoding.UTF8.GetBytes(json));
        Assert.Equal(EvaluationStatus.InvalidInput, result.Status);
        Assert.Contains(expected, result.Error);
        Assert.Empty(violations);
    }

    [Fact]
    public void DeepAndHugeInputAreRejected()
    {
        var deep = "{\"kind\":\"Pod\",\"spec\":{\"x\":" + new string('[', 200) + new string(']', 200) + "}}";
        var (deepResult, _) = PolicyTestKit.Evaluate(DefaultPolicySet.Set, Encoding.UTF8.GetBytes(deep));
        Assert.Equal(EvaluationStatus.InvalidInput, deepResult.Status);
        Assert.Contains("depth", deepResult.Error);

        var huge = Encoding.UTF8.GetBytes("{\"kind\":\"Pod\",\"metadata\":{\"annotations\":{\"a\":\"" + new string('x', 3 * 1024 * 1024) + "\"}},\"spec\":{}}");
        var (hugeResult, _) = PolicyTestKit.Evaluate(DefaultPolicySet.Set, huge);
        Assert.Equal(EvaluationStatus.InvalidInput, hugeResult.Status);
        Assert.Contains("over the limit of 3145728 bytes", hugeResult.Error);
    }

    [Fact]
    public void TargetsAndExclusions()
    {
        var policy = PolicyTestKit.Compile("""
            {"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"p"},
             "spec":{"rules":[{"name":"r","conditions":[{"hostPID":true}],"actions":["deny"]}],
               "targets":{"namespaceSelector":{"matchLabels":{"env":"prod"}},"podSelector":{"matchExpressions":[{"key":"tier","operator":"In","values":["frontend","backend"]}]}},
               "exclude":{"namespaces":["kube-system"],"serviceAccounts":["prod:deployer"],"users":["admin"]}}}
            """);
        var catalog = new PolicyCatalog([policy]);
        var prodLabels = new Dictionary<string, string> { ["env"] = "prod" };
        Assert.Single(catalog.Select("prod", prodLabels).Policies);
        Assert.Same(catalog.Select("prod", prodLabels), catalog.Select("prod", prodLabels));
        Assert.Empty(catalog.Select("dev", new Dictionary<string, string> { ["env"] = "dev" }).Policies);
        Assert.Empty(catalog.Select("kube-system", prodLabels).Policies);

        var set = catalog.Select("prod", prodLabels);
        byte[] Pod(string tier, string sa = "default") => Encoding.UTF8.GetBytes(
            "{\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"tier\":\"" + tier + "\"}},\"spec\":{\"hostPID\":true,\"serviceAccountName\":\"" + sa + "\",\"containers\":[]}}");
        Assert.Single(PolicyTestKit.Evaluate(set, Pod("frontend"), new EvaluationRequest(Namespace: "prod")).Violations);
        Assert.Empty(PolicyTestKit.Evaluate(set, Pod("db"), new EvaluationRequest(Namespace: "prod")).Violations);
        Assert.Empty(PolicyTestKit.Evaluate(set, Pod("frontend", "deployer"), new EvaluationRequest(Namespace: "prod")).Violations);
        Assert.Empty(PolicyTestKit.Evaluate(set, Pod("frontend"), new EvaluationRequest(Namespace: "prod", UserName: "admin")).Violations);
    }

    [Fact]
    public void EnforcementModesDecideDisposition()
    {
        var pod = PolicyTestKit.Pod(podSpecExtra: "\"hostIPC\":true");
        foreach (var (mode, disposition, denied) in new[] { ("enforce", Disposition.Deny, true), ("warn", Disposition.Warn, false), ("dryrun", Disposition.Audit, false) })
        {
            var (result, violations) = PolicyTestKit.Evaluate(PolicyTestKit.Rule("""[{"hostIPC":true}]""", mode: mode), pod);
            Assert.Equal(denied, result.Denied);
            Assert.Equal(disposition, Assert.Single(violations).Disposition);
        }
    }
}
