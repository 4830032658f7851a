using System.Text;
using SecurityOperator.Policy.Defaults;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.Mutation;

namespace SecurityOperator.Tests.Policy.Evaluation;

/// <summary>Mutated and truncated inputs (fixed seed, so failures reproduce) must give a result, never an exception,
/// and whatever is reported must format and patch without throwing.</summary>
public class EvaluatorFuzzTests
{
    private const string Structural = "{}[]\":,\\0tfn-";

    [Fact]
    public void MutatedInputsNeverThrow()
    {
        var set = DefaultPolicySet.Set;
        var facts = new PodFacts();
        var buffer = new ViolationBuffer();
        var seeds = new[]
        {
            Encoding.UTF8.GetBytes(PolicyEvaluatorTests.CleanPod(2)),
            Encoding.UTF8.GetBytes("""{"apiVersion":"apps/v1","kind":"CronJob","metadata":{"name":"c"},"spec":{"jobTemplate":{"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"hostPID":true,"volumes":[{"name":"h","hostPath":{"path":"/"}}],"containers":[{"name":"x","image":"nginx","env":[{"name":"TOKEN","value":"ghp_0123456789abcdefghij0123456789abcdef"}],"securityContext":{"capabilities":{"add":["ALL"]}}}]}}}}}}"""),
        };
        var random = new Random(20261122);
        var outcomes = new Dictionary<EvaluationStatus, int>();
        for (var i = 0; i < 3_000; i++)
        {
            var input = (byte[])seeds[i % seeds.Length].Clone();
            switch (random.Next(4))
            {
                case 0: input = input[..random.Next(input.Length)]; break;
                case 1: for (var k = 0; k < 3; k++) input[random.Next(input.Length)] = (byte)random.Next(256); break;
                case 2: input[random.Next(input.Length)] = (byte)Structural[random.Next(Structural.Length)]; break;
                default:
                    var at = random.Next(input.Length);
                    input = [.. input[..at], .. input[random.Next(at, input.Length)..]];
                    break;
            }
            var result = PolicyEvaluator.Evaluate(input, set, facts, buffer);
            outcomes[result.Status] = outcomes.GetValueOrDefault(result.Status) + 1;
            if (result.Status != EvaluationStatus.Evaluated) { Assert.False(string.IsNullOrEmpty(result.Error)); continue; }
            ViolationFormatter.FormatAll(buffer, input, result, set, facts);
            PatchBuilder.Build(MutationPlan.From(buffer, set), facts, result.Location);
        }
        // The corpus must exercise both outcomes, or it tests nothing.
        Assert.True(outcomes.GetValueOrDefault(EvaluationStatus.Evaluated) > 100);
        Assert.True(outcomes.GetValueOrDefault(EvaluationStatus.InvalidInput) > 100);
    }
}
