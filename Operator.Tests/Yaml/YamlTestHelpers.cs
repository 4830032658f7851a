using System.Text;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Yaml;

internal static class YamlTestHelpers
{
    /// <summary>The single document's JSON as text.</summary>
    public static string Json(string yaml)
    {
        IReadOnlyList<YamlDocumentJson> documents = YamlToJson.ConvertAll(yaml, "test.yaml");
        Assert.Single(documents);
        return Encoding.UTF8.GetString(documents[0].Json);
    }

    /// <summary>The JSON of "v: &lt;scalar&gt;" reduced to the value's text.</summary>
    public static string Value(string scalar)
    {
        string json = Json("v: " + scalar + "\n");
        Assert.StartsWith("{\"v\":", json);
        return json[5..^1];
    }

    public static YamlException Fails(string yaml, YamlLimits? limits = null) =>
        Assert.Throws<YamlException>(() => YamlToJson.ConvertAll(yaml, "bad.yaml", limits ?? YamlLimits.Default));
}
