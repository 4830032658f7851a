using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.Mutation;

namespace SecurityOperator.Tests.Policy.Mutation;

public class PatchBuilderTests
{
    private const string SetDefaultsAction = """[{"mutate":{"setDefaults":{"limits":{"cpu":"1000m","memory":"1Gi","nvidia.com/gpu":"1"},"requests":{"cpu":"100m","memory":"128Mi"}}}}]""";

    /// <summary>Evaluates, builds the patch, applies it and returns (patch, patched object).</summary>
    private static (JsonArray Patch, JsonNode Patched) Mutate(CompiledPolicy policy, JsonNode obj)
    {
        var set = new CompiledPolicySet([policy]);
        var json = Encoding.UTF8.GetBytes(obj.ToJsonString());
        var facts = new PodFacts();
        var violations = new ViolationBuffer();
        var result = PolicyEvaluator.Evaluate(json, set, facts, violations);
        Assert.Equal(EvaluationStatus.Evaluated, result.Status);
        var plan = MutationPlan.From(violations, set);
        var patch = JsonNode.Parse(PatchBuilder.Build(plan, facts, result.Location))!.AsArray();
        return (patch, JsonPatchApplier.Apply(obj, patch));
    }

    private static int ViolationCount(CompiledPolicy policy, JsonNode obj) => PolicyTestKit.Evaluate(policy, obj).Violations.Count;

    [Fact]
    public void SetDefaultsAddsWholeParentsAndEscapesPointers()
    {
        var policy = PolicyTestKit.Rule("""[{"missingResourceLimits":["cpu","memory","nvidia.com/gpu"]}]""", SetDefaultsAction);
        var pod = PolicyTestKit.Pod("""
            [{"name":"none","image":"x"},
             {"name":"requests-only","image":"x","resources":{"requests":{"cpu":"2"}}},
             {"name":"partial","image":"x","resources":{"limits":{"memory":"64Mi"},"requests":{"memory":"32Mi"}}}]
            """);
        var (patch, patched) = Mutate(policy, pod);
        Assert.Equal(
        [
            "/spec/containers/0/resources",
            "/spec/containers/1/resources/limits",
            "/spec/containers/1/resources/requests/memory",
            "/spec/containers/2/resources/limits/cpu",
            "/spec/containers/2/resources/limits/nvidia.com~1gpu",
            "/spec/containers/2/resources/requests/cpu",
        ], patch.Select(op => (string)op!["path"]!));
        Assert.All(patch, op => Assert.Equal("add", (string)op!["op"]!));
        // An existing request above the default limit raises the limit to the request (the API rejects request > limit).
        Assert.Equal("2", (string)patched["spec"]!["containers"]![1]!["resources"]!["limits"]!["cpu"]!);
        // An existing limit below the default request lowers the request to the limit.
        Assert.Equal("64Mi", (string)patched["spec"]!["containers"]![2]!["resources"]!["limits"]!["memory"]!);
        Assert.Equal(0, ViolationCount(policy, patched));
    }

    [Fact]
    public void SetDefaultsOnADeploymentUsesTemplatePaths()
    {
        var policy = PolicyTestKit.Rule("""[{"missingResourceRequests":true}]""", SetDefaultsAction);
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"template":{"metadata":{"labels":{"app":"d"}},"spec":{"initContainers":[{"name":"i","image":"x"}],"containers":[{"name":"c","image":"x"}]}}}}
            """)!;
        var (patch, patched) = Mutate(policy, deployment);
        Assert.Equal(["/spec/template/spec/initContainers/0/resources", "/spec/template/spec/containers/0/resources"], patch.Select(op => (string)op!["path"]!));
        Assert.Equal(0, ViolationCount(policy, patched));
    }

    [Fact]
    public void HardenMakesAPlainPodPassRestricted()
    {
        var policy = PolicyTestKit.Rule("""[{"podSecurity":{"level":"restricted","version":"latest"}}]""", """["deny",{"mutate":{"harden":true}}]""");
        var pod = PolicyTestKit.Pod("""
            [{"name":"bare","image":"x"},
             {"name":"partial","image":"x","securityContext":{"capabilities":{"drop":["NET_RAW"]}}},
             {"name":"caps","image":"x","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"add":["NET_BIND_SERVICE"]}}}]
            """, """ "initContainers":[{"name":"init","image":"x","securityContext":{"runAsUser":1000}}]""");
        Assert.NotEqual(0, ViolationCount(policy, pod));
        var (patch, patched) = Mutate(policy, pod);
        Assert.Contains(patch, op => (string)op!["path"]! == "/spec/securityContext" && op["value"]!.ToJsonString() == """{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}}""");
        Assert.Contains(patch, op => (string)op!["path"]! == "/spec/containers/1/securityContext/capabilities/drop/-");
        Assert.Contains(patch, op => (string)op!["path"]! == "/spec/containers/2/securityContext/capabilities/drop");
        Assert.Equal(0, ViolationCount(policy, patched));
    }

    [Fact]
    public void HardenOnlyWhereUnsetAndNeverAnInvalidCombination()
    {
        var policy = PolicyTestKit.Rule("""[{"allowPrivilegeEscalation":true}]""", """[{"mutate":{"harden":true}}]""");
        var pod = PolicyTestKit.Pod("""
            [{"name":"priv","image":"x","securityContext":{"privileged":true}},
             {"name":"explicit","image":"x","securityContext":{"allowPrivilegeEscalation":true,"capabilities":{"drop":["ALL"]},"runAsUser":0}}]
            """, "\"securityContext\":{\"runAsNonRoot\":false}");
        var (patch, _) = Mutate(policy, pod);
        Assert.Equal(["/spec/securityContext/seccompProfile", "/spec/containers/0/securityContext/capabilities"], patch.Select(op => (string)op!["path"]!));
    }

    [Fact]
    public void DryRunPoliciesAndCleanPodsProduceAnEmptyPatch()
    {
        var dryRun = PolicyTestKit.Rule("""[{"missingResourceLimits":true}]""", SetDefaultsAction, mode: "dryrun");
        Assert.Empty(Mutate(dryRun, PolicyTestKit.Pod()).Patch);
        var enforce = PolicyTestKit.Rule("""[{"missingResourceLimits":true}]""", SetDefaultsAction);
        Assert.Empty(Mutate(enforce, PolicyTestKit.Pod("""[{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]""")).Patch);
    }

    [Fact]
    public void PointerEscaping() => Assert.Equal("/a/b~1c/d~0e~01", JsonPointer.Join("/a", "b/c", "d~e~1"));
}
