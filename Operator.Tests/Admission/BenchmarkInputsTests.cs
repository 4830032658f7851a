using SecurityOperator.Admission;
using SecurityOperator.Audit;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Admission;

/// <summary>The load benchmark (scripts/bench-webhook.sh) measures the common path only if its policy set compiles
/// to the 20 rules it claims and its pod passes all of them; this keeps the benchmark's inputs honest.</summary>
public class BenchmarkInputsTests
{
    [Fact]
    public void TheBenchmarkPodIsAllowedByTheTwentyBenchmarkRules()
    {
        var bench = Path.Combine(RepositoryPaths.Root, "scripts", "bench");
        var loaded = PolicyFiles.Load([Path.Combine(bench, "policies.yaml")], new ManifestReader());
        Assert.Empty(loaded.Errors);
        Assert.Equal(20, loaded.Policies.Sum(p => p.Rules.Count));
        var body = File.ReadAllBytes(Path.Combine(bench, "pod-review.json"));
        Assert.InRange(body.Length, 3500, 5000);
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, body, [.. loaded.Policies]);
        Assert.True(result == AdmissionResult.Allowed, review.ToJsonString());
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(body)!["request"]!["object"]!["spec"]!["containers"]!.AsArray().Count);
    }
}
