using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy.Evaluation;

/// <summary>spec.imagePullSecrets[].name is collected in the same pass as the rest (image signature verification
/// looks up registry credentials with them), and cleared between pods.</summary>
public class PodFactReaderPullSecretTests
{
    [Fact]
    public void Pull_secret_names_are_read_in_order_skipping_null_and_nameless_entries()
    {
        var facts = new PodFacts();
        Assert.True(PodFactReader.TryRead("""{"spec":{"imagePullSecrets":[{"name":"a"},null,{},{"name":"b","extra":1}],"containers":[{"name":"c","image":"x"}]}}"""u8,
            facts, EvaluationLimits.Default, out var error), error);
        Assert.Equal(["a", "b"], facts.PullSecretNames.AsSpan().ToArray().Select(facts.String));
        Assert.Equal("x", facts.String(facts.Containers.AsSpan()[0].Image));

        Assert.True(PodFactReader.TryRead("""{"spec":{"containers":[{"name":"c"}]}}"""u8, facts, EvaluationLimits.Default, out _));
        Assert.Equal(0, facts.PullSecretNames.Count);
    }

    [Fact]
    public void A_pull_secret_list_of_the_wrong_type_is_a_read_error_naming_it()
    {
        var facts = new PodFacts();
        Assert.False(PodFactReader.TryRead("""{"spec":{"imagePullSecrets":"a"}}"""u8, facts, EvaluationLimits.Default, out var error));
        Assert.Contains("imagePullSecrets", error);
    }
}
