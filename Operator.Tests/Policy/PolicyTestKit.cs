using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy;

/// <summary>Compiles policies from JSON and evaluates objects, returning formatted violations.</summary>
internal static class PolicyTestKit
{
    public static CompiledPolicy Compile(string json)
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(json));
        Assert.True(compilation.Succeeded, string.Join("\n", compilation.Errors));
        return compilation.Policy!;
    }

    /// <summary>A cluster policy with one rule holding the given conditions (JSON list items) and actions.</summary>
    public static CompiledPolicy Rule(string conditionsJson, string actionsJson = "[\"deny\"]", string mode = "enforce") => Compile(
        "{\"apiVersion\":\"security.io/v1\",\"kind\":\"ClusterSecurityPolicy\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"enforcementMode\":\""
        + mode + "\",\"rules\":[{\"name\":\"r\",\"conditions\":" + conditionsJson + ",\"actions\":" + actionsJson + "}]}}");

    public static (EvaluationResult Result, List<ReportedViolation> Violations) Evaluate(CompiledPolicy policy, JsonNode obj, EvaluationRequest request = default) =>
        Evaluate(new CompiledPolicySet([policy]), Encoding.UTF8.GetBytes(obj.ToJsonString()), request);

    public static (EvaluationResult Result, List<ReportedViolation> Violations) Evaluate(CompiledPolicySet set, byte[] json, EvaluationRequest request = default)
    {
        var facts = new PodFacts();
        var buffer = new ViolationBuffer();
        var result = PolicyEvaluator.Evaluate(json, set, facts, buffer, request);
        return (result, ViolationFormatter.FormatAll(buffer, json, result, set, facts));
    }

    public static JsonObject Pod(string containersJson = """[{"name":"app","image":"nginx"}]""", string? podSpecExtra = null, string? labels = null) =>
        JsonNode.Parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod1\",\"namespace\":\"default\""
            + (labels is null ? "" : ",\"labels\":" + labels) + "},\"spec\":{"
            + (podSpecExtra is null ? "" : podSpecExtra + ",") + "\"containers\":" + containersJson + "}}")!.AsObject();
}
