namespace SecurityOperator.Yaml;

/// <summary>The documents that converted, and one error per document that did not, both in stream order.</summary>
public sealed record YamlStreamResult(IReadOnlyList<YamlDocumentJson> Documents, IReadOnlyList<YamlException> Errors);
