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
        YamlStreamResult result = ConvertAllCollectingErrors(yaml, sourceName, limits);
        return result.Errors.Count > 0 ? throw result.Errors[0] : result.Documents;
    }

    /// <summary>Like <see cref="ConvertAll(string, string)"/> but never throws for bad YAML: a broken document is
    /// reported and reading resumes at the next "---" line, so every problem of a multi-document file is listed and
    /// the good documents are kept.</summary>
    public static YamlStreamResult ConvertAllCollectingErrors(string yaml, string sourceName, YamlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        limits ??= YamlLimits.Default;
        if (yaml.Length > limits.MaxInputChars)
        {
            return new YamlStreamResult([], [new YamlException(sourceName, 1, 1,
                $"input is {yaml.Length} characters, more than the limit of {limits.MaxInputChars}")]);
        }

        var parser = new YamlParser(Normalize(yaml), sourceName, limits);
        var documents = new List<YamlDocumentJson>();
        var errors = new List<YamlException>();
        while (true)
        {
            YamlNode? root;
            try
            {
                root = parser.ParseNextDocument();
            }
            catch (YamlException error)
            {
                errors.Add(error);
                parser.SkipToNextDocumentStart();
                continue;
            }

            if (root is null)
            {
                return new YamlStreamResult(documents, errors);
            }

            try
            {
                byte[] json = YamlJsonEmitter.Emit(root, sourceName, limits);
                documents.Add(new YamlDocumentJson(json, root.Line, YamlJsonEmitter.ItemLines(root, sourceName, limits)));
            }
            catch (YamlException error)
            {
                errors.Add(error);
            }
        }
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
