namespace SecurityOperator.Yaml;

internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}

/// <summary>How a scalar was written; only plain scalars go through type resolution (quoted and block scalars are
/// always strings, as in go-yaml).</summary>
internal enum YamlScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>The parse tree between the parser and the JSON emitter. A tree (not events) because aliases and merge keys
/// need to revisit earlier nodes, and duplicate-key errors need the key's position.</summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public YamlNodeKind Kind { get; }
    public int Line { get; }
    public int Column { get; }

    /// <summary>Short form of an explicit tag ("!!str", "!!int", "!" ...), or null when none was written.</summary>
    public string? Tag { get; set; }

    public string Value { get; private init; } = "";
    public YamlScalarStyle Style { get; private init; }

    public List<YamlNode> Items { get; } = [];

    /// <summary>1-based line of each sequence item (its "-" line for block sequences).</summary>
    public List<int> ItemLines { get; } = [];

    public List<KeyValuePair<YamlNode, YamlNode>> Pairs { get; } = [];

    /// <summary>For aliases: the anchored node (resolved at parse time, anchors must be defined before use).</summary>
    public YamlNode? Target { get; private init; }
    public string AliasName { get; private init; } = "";

    public static YamlNode Scalar(int line, int column, string value, YamlScalarStyle style) =>
        new(YamlNodeKind.Scalar, line, column) { Value = value, Style = style };

    public static YamlNode Mapping(int line, int column) => new(YamlNodeKind.Mapping, line, column);

    public static YamlNode Sequence(int line, int column) => new(YamlNodeKind.Sequence, line, column);

    public static YamlNode Alias(int line, int column, string name, YamlNode target) =>
        new(YamlNodeKind.Alias, line, column) { AliasName = name, Target = target };

    /// <summary>The node itself, or the node an alias points at.</summary>
    public YamlNode Resolved => Kind == YamlNodeKind.Alias ? Target! : this;
}
