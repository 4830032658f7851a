using SecurityOperator.Yaml;

namespace SecurityOperator.Kube.Config;

/// <summary>The single YAML-to-JSON step of kubeconfig loading (kubeconfig files are YAML; JSON is valid YAML too).</summary>
internal static class KubeconfigText
{
    /// <summary>Converts the text of one kubeconfig file to UTF-8 JSON. Returns null for an empty file (kubectl treats an
    /// empty kubeconfig, or one with only comments, as an empty config).</summary>
    public static byte[]? ToJson(string text, string sourceName)
    {
        IReadOnlyList<YamlDocumentJson> documents;
        try { documents = YamlToJson.ConvertAll(text, sourceName); }
        catch (YamlException e)
        {
            throw new KubeconfigException(sourceName, null, $"not valid YAML at line {e.Line}, column {e.Column}: {e.Problem}", e);
        }
        return documents.Count switch
        {
            0 => null,
            1 => documents[0].Json,
            _ => throw new KubeconfigException(sourceName, null,
                $"holds {documents.Count} YAML documents (the second starts at line {documents[1].StartLine}); a kubeconfig is one document"),
        };
    }
}
