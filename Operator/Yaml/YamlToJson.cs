namespace SecurityOperator.Yaml;

/// <summary>YAML stream → JSON documents, with Kubernetes' scalar typing (see <see cref="YamlScalarResolver"/>).
/// A hand-written parser (no YAML library, no reflection) covering what manifests and kubeconfigs use; see
/// <see cref="YamlParser"/> for the structure and the unsupported corners.</summary>
public static class YamlToJson
{
    /// <summary>Every document of a YAML stream → compact UTF-8 JSON, plain scalars resolved as Kubernetes reads them.
    /// Empty documents (only comments, or "---" with nothing after it) are skipped.</summary>
    /// <exception cref="YamlException">The input is not valid YAML (or uses an unsupported feature); the message
    /// names <paramref name="sourceName"/>, the line and the column.</exception>
    public static IReadOnlyList<YamlDocumentJson> ConvertAll(string yaml, string sourceName) =>
        ConvertAll(yaml, sourceName, YamlLimits.Default);

    public static IReadOnlyList<YamlDocumentJson> ConvertAll(string yaml, string sourceName, YamlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(limits);
        if (yaml.Length > limits.MaxInputChars)
        {
            throw new YamlException(sourceName, 1, 1,
                $"input is {yaml.Length} characters, more than the limit of {limits.MaxInputChars}");
        }

        string text = Normalize(yaml);
        var parser = new YamlParser(text, sourceName, limits);
        var documents = new List<YamlDocumentJson>();
        foreach (YamlNode root in parser.ParseStream())
        {
            byte[] json = YamlJsonEmitter.Emit(root, sourceName, limits);
            documents.Add(new YamlDocumentJson(json, root.Line, YamlJsonEmitter.ItemLines(root, sourceName, limits)));
        }

        return documents;
    }

    /// <summary>One line-break form ("\n") and no byte-order mark, so the parser deals with a single case. Lines
    /// are counted the same for "\r\n" and "\n" input.</summary>
    private static string Normalize(string yaml)
    {
        if (yaml.StartsWith('\uFEFF'))
        {
            yaml = yaml[1..];
        }

        return yaml.Contains('\r') ? yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : yaml;
    }
}
