namespace SecurityOperator.Yaml;

/// <summary>Node properties: anchors ("&amp;name"), tags ("!!str") and aliases ("*name").</summary>
internal sealed partial class YamlParser
{
    private readonly record struct Properties(string? Anchor, string? Tag, int Line, int Column)
    {
        public bool HasAny => Anchor is not null || Tag is not null;
    }

    /// <summary>The tags a Kubernetes manifest can meaningfully carry. Anything else (custom "!Ref" tags, !!binary,
    /// !!set ...) is rejected: the API server's decoder would either reject it or silently change its meaning.</summary>
    private static readonly HashSet<string> KnownTags =
        new(StringComparer.Ordinal) { "!", "!!str", "!!int", "!!bool", "!!float", "!!null", "!!map", "!!seq" };

    private Properties ParseProperties()
    {
        string? anchor = null;
        string? tag = null;
        int line = _c.Line;
        int column = _c.Indent + 1;
        while (true)
        {
            if (_c.Cur == '&')
            {
                if (anchor is not null)
                {
                    throw _c.Error("a node can have only one anchor");
                }

                _c.Pos++;
                anchor = ReadPropertyName("anchor");
            }
            else if (_c.Cur == '!')
            {
                if (tag is not null)
                {
                    throw _c.Error("a node can have only one tag");
                }

                int tagColumn = _c.Indent + 1;
                tag = NormalizeTag(ReadPropertyName("tag"));
                if (!KnownTags.Contains(tag))
                {
                    throw _c.Error(_c.Line, tagColumn,
                        $"unsupported tag '{tag}' (supported: !!str, !!int, !!bool, !!float, !!null, !!map, !!seq)");
                }
            }
            else
            {
                return new Properties(anchor, tag, line, column);
            }

            _c.SkipSpaces();
        }
    }

    /// <summary>Verbatim "!&lt;tag:yaml.org,2002:str&gt;" means "!!str".</summary>
    private static string NormalizeTag(string tag)
    {
        const string verbatimPrefix = "!<tag:yaml.org,2002:";
        if (tag.StartsWith(verbatimPrefix, StringComparison.Ordinal) && tag.EndsWith('>'))
        {
            return "!!" + tag[verbatimPrefix.Length..^1];
        }

        return tag;
    }

    private string ReadPropertyName(string what)
    {
        int start = _c.Pos;
        if (what == "tag" && _c.At(_c.Pos + 1) == '<')
        {
            // Verbatim tags may contain ',' (tag:yaml.org,2002:str), so they end at '>' rather than at a flow indicator.
            int close = _c.Text.IndexOf('>', _c.Pos);
            int lineEnd = _c.Text.IndexOf('\n', _c.Pos);
            if (close < 0 || (lineEnd >= 0 && close > lineEnd))
            {
                throw _c.Error("unterminated verbatim tag '!<...>'");
            }

            _c.Pos = close + 1;
            return _c.Text[start.._c.Pos];
        }

        while (!_c.IsBlankAt(_c.Pos) && !YamlCursor.IsFlowIndicator(_c.Cur))
        {
            _c.Pos++;
        }

        if (_c.Pos == start)
        {
            throw _c.Error($"empty {what} name");
        }

        return _c.Text[start.._c.Pos];
    }

    private YamlNode ApplyProperties(YamlNode node, Properties properties)
    {
        if (properties.Tag is not null)
        {
            if (node.Kind == YamlNodeKind.Alias)
            {
                throw _c.Error(properties.Line, properties.Column, "an alias cannot have a tag");
            }

            string expected = node.Kind switch
            {
                YamlNodeKind.Mapping => "!!map",
                YamlNodeKind.Sequence => "!!seq",
                _ => "scalar",
            };
            bool scalarTag = properties.Tag is not ("!!map" or "!!seq");
            bool fits = node.Kind == YamlNodeKind.Scalar ? scalarTag : properties.Tag == expected || properties.Tag == "!";
            if (!fits)
            {
                throw _c.Error(properties.Line, properties.Column, $"tag '{properties.Tag}' does not fit a {expected} node");
            }

            node.Tag = properties.Tag;
        }

        if (properties.Anchor is not null)
        {
            if (node.Kind == YamlNodeKind.Alias)
            {
                throw _c.Error(properties.Line, properties.Column, "an alias cannot have an anchor");
            }

            // Registered after the node is complete, so a node cannot contain an alias to itself.
            _anchors[properties.Anchor] = node;
        }

        return node;
    }

    private YamlNode ParseAlias()
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        _c.Pos++;
        string name = ReadPropertyName("alias");
        if (!_anchors.TryGetValue(name, out YamlNode? target))
        {
            throw _c.Error(line, column, $"unknown anchor '{name}' (anchors must be defined before use, in the same document)");
        }

        return YamlNode.Alias(line, column, name, target);
    }
}
