namespace SecurityOperator.Yaml;

/// <summary>One document of a YAML stream as compact UTF-8 JSON.</summary>
/// <param name="Json">The document's JSON (no BOM, no whitespace).</param>
/// <param name="StartLine">1-based line of the document's first content (not of its "---").</param>
/// <param name="ItemLines">When the root is a mapping with an "items" sequence (a List kind), the 1-based line of each
/// item in order (the line of its "-" for block sequences); otherwise empty. Lets List members be reported at their
/// own line (table, SARIF) instead of the List's.</param>
public sealed record YamlDocumentJson(byte[] Json, int StartLine, int[] ItemLines)
{
    public YamlDocumentJson(byte[] json, int startLine)
        : this(json, startLine, [])
    {
    }
}
