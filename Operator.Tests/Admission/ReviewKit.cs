using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Tests.Policy;

namespace SecurityOperator.Tests.Admission;

/// <summary>Runs <see cref="AdmissionReviewer"/> on a body and returns the decision and the parsed response.</summary>
internal static class ReviewKit
{
    public static readonly string[] DefaultExcluded = ["kube-system", "security-operator", "security-operator-node"];

    public const string RestrictedCondition = """[{"podSecurity":{"level":"restricted","version":"latest"}}]""";

    public static CompiledPolicy Restricted(string mode = "enforce", string actions = "[\"deny\"]") =>
        PolicyTestKit.Rule(RestrictedCondition, actions, mode);

    public static AdmissionReviewer Reviewer(IEnumerable<CompiledPolicy> policies, ILogger? log = null) =>
        new(new AdmissionPolicySource(new AdmissionPolicySnapshot(policies, new Dictionary<string, Dictionary<string, string>>(), DefaultExcluded)), log);

    public static (AdmissionResult Result, JsonObject Review) Review(AdmissionEndpoint endpoint, byte[] body, params CompiledPolicy[] policies) =>
        Review(Reviewer(policies), endpoint, body);

    public static (AdmissionResult Result, JsonObject Review) Review(AdmissionReviewer reviewer, AdmissionEndpoint endpoint, byte[] body)
    {
        Assert.True(AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out var request, out var error), error);
        var output = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(output, AdmissionResponseWriter.WriterOptions);
        var result = reviewer.Review(endpoint, body, request, writer);
        return (result, JsonNode.Parse(output.WrittenSpan)!.AsObject());
    }

    public static JsonObject Response(this JsonObject review) => review["response"]!.AsObject();

    /// <summary>The review with its request changed by <paramref name="edit"/>.</summary>
    public static byte[] Edit(byte[] body, Action<JsonObject> edit)
    {
        var review = JsonNode.Parse(body)!.AsObject();
        edit(review["request"]!.AsObject());
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }
}
