using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>ContainerOrder walks init, regular, then ephemeral containers whatever their JSON order, and skips the
/// sections a pod does not have.</summary>
public class ContainerOrderTests
{
    private static List<(string Name, int Index)> Walk(string podJson)
    {
        var facts = new PodFacts();
        Assert.True(PodFactReader.TryRead(System.Text.Encoding.UTF8.GetBytes(podJson), facts, EvaluationLimits.Default, out var error), error);
        var walked = new List<(string, int)>();
        var order = new ContainerOrder(facts);
        while (order.MoveNext()) walked.Add((facts.String(order.Current.Name), order.Index));
        return walked;
    }

    [Fact]
    public void SectionsComeInUpstreamOrder() => Assert.Equal(
        [("i", 3), ("a", 1), ("b", 2), ("e", 0)],
        Walk("""{"spec":{"ephemeralContainers":[{"name":"e"}],"containers":[{"name":"a"},{"name":"b"}],"initContainers":[{"name":"i"}]}}"""));

    [Fact]
    public void OneSectionIsWalkedAsWritten() =>
        Assert.Equal([("a", 0), ("b", 1)], Walk("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"""));

    [Fact]
    public void NoContainersWalksNothing() => Assert.Empty(Walk("""{"spec":{}}"""));
}
