using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy.Evaluation;

/// <summary>For an object known to be a Pod before its metadata, the locator steps over the metadata and takes the
/// name's position from the fact reader (which reads the metadata anyway). Status, location (name range included) and
/// error must be exactly those of locating the full way and then reading the facts.</summary>
public class PodTemplateLocatorPodNameTests
{
    private const string Spec = """
        "spec":{"containers":[{"name":"c","image":"registry.company.com/a:1"}]}
        """;

    /// <summary>The full way: the public locator (it reads metadata.name token by token), then the fact reader.</summary>
    private static (LocateStatus Status, PodTemplateLocation Location, string? Error) FullWay(byte[] json, string? kind)
    {
        var status = PodTemplateLocator.TryLocate(json, kind, EvaluationLimits.Default, out var location, out var error);
        if (status != LocateStatus.Found) return (status, location, error);
        var facts = new PodFacts();
        if (location.FactsRead || PodFactReader.TryRead(json.AsSpan(location.Start, location.Length), facts, EvaluationLimits.Default, out error))
            return (status, location, null);
        return (LocateStatus.Invalid, location, $"{location.PathPrefix}{error}");
    }

    [Theory]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web","namespace":"prod"},SPEC}""", null)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"name":"x"},"name":"we\"b\u00e9"},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a","name":null},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a"},"metadata":{"namespace":"b"},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a"},"metadata":{"name":"b"},SPEC}""", null)]
    [InlineData("""{"metadata":{"name":"a"},"kind":"Pod","metadata":{"namespace":"b"},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"namespace":"b"},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":null,SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":7},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"labels":[],"name":"web"},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"image":5}]}}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web","labels":{"a":1}},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web",},SPEC}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},SPEC,"kind":"Deployment"}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},"kind":"Deployment","spec":{"template":{"spec":{}}}}""", null)]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},"kind":"Secret",SPEC}""", null)]
    [InlineData("""{"kind":"Deployment","metadata":{"name":"web"},SPEC}""", "Pod")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},SPEC}""", "Pod")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},"spec":{"template":{"spec":{}}}}""", "Deployment")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"web"},SPEC} x""", null)]
    public void LocatesAPodExactlyAsTheFullWay(string template, string? kind)
    {
        var json = Encoding.UTF8.GetBytes(template.Replace("SPEC", Spec.Trim()));
        var expected = FullWay(json, kind);
        var status = PodTemplateLocator.TryLocateAndRead(json, kind, EvaluationLimits.Default, new PodFacts(), out var location, out var error);
        Assert.Equal(expected, (status, location with { FactsRead = false }, error));
    }

    [Fact]
    public void TheNameRangeIsTheRawTextOfTheName()
    {
        var json = Encoding.UTF8.GetBytes("""{"kind":"Pod","metadata":{"name":"we\"b"},"spec":{}}""");
        Assert.Equal(LocateStatus.Found, PodTemplateLocator.TryLocateAndRead(json, null, EvaluationLimits.Default, new PodFacts(), out var location, out _));
        Assert.Equal("we\\\"b", Encoding.UTF8.GetString(json, location.NameStart, location.NameLength));
        Assert.Equal("we\"b", location.ObjectName(json));
    }
}
