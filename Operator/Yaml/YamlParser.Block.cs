namespace SecurityOperator.Yaml;

/// <summary>Block structure: values after "key:" / "- ", block mappings (implicit and "? " keys) and block sequences,
/// decided by comparing indentation columns with the enclosing collection's.</summary>
internal sealed partial class YamlParser
{
    /// <summary>The value after "key:", "- " or "---": on the same line, or on following lines indented deeper than
    /// <paramref name="parentIndent"/>, or (for a mapping value) a "compact" sequence at the key's own indent.
    /// Returns null for an absent value (the caller turns that into null).</summary>
    private YamlNode? ParseBlockValue(int parentIndent, bool inlineCollections, bool compactSequence)
    {
        _c.SkipSpaces();
        if (_c.AtLineEndOrComment())
        {
            return ParseValueOnNextLines(parentIndent, compactSequence);
        }

        return ParseNodeAtContent(parentIndent, inlineCollections, compactSequence);
    }

    private YamlNode? ParseValueOnNextLines(int parentIndent, bool compactSequence)
    {
        int indent = SkipToNextContentLine();
        if (indent < 0 || _c.AtDocumentMarker())
        {
            return null;
        }

        if (indent > parentIndent)
        {
            return ParseNodeAtContent(parentIndent, blockCollections: true, compactSequence: false);
        }

        if (compactSequence && indent == parentIndent && AtSequenceEntry())
        {
            return ParseBlockSequence(indent);
        }

        return null;
    }

    /// <summary>A node starting at the cursor (a content character). Block collections may start here only when the
    /// node begins its line or follows "- " (<paramref name="blockCollections"/>).</summary>
    private YamlNode? ParseNodeAtContent(int parentIndent, bool blockCollections, bool compactSequence)
    {
        if (AtSequenceEntry())
        {
            if (!blockCollections)
            {
                throw _c.Error("a block sequence cannot start on the same line as its key; put the '-' items on the next lines");
            }

            return ParseBlockSequence(_c.Indent);
        }

        if (LooksLikeImplicitKey())
        {
            if (!blockCollections)
            {
                throw _c.Error("a mapping cannot start on the same line as its parent key (missing line break or quotes around a value containing ': ')");
            }

            return ParseBlockMapping(_c.Indent);
        }

        if (AtExplicitKey())
        {
            if (!blockCollections)
            {
                throw _c.Error("a mapping cannot start on the same line as its parent key");
            }

            return ParseBlockMapping(_c.Indent);
        }

        var properties = ParseProperties();
        if (properties.HasAny && _c.AtLineEndOrComment())
        {
            // "key: &anchor" or "- !!map" with the content on the next lines.
            YamlNode? next = ParseValueOnNextLines(parentIndent, compactSequence);
            return ApplyProperties(next ?? EmptyScalar(properties), properties);
        }

        YamlNode node = ParseFlowOrScalar(parentIndent, flow: false);
        return ApplyProperties(node, properties);
    }

    private YamlNode EmptyScalar(Properties properties) =>
        YamlNode.Scalar(properties.Line, properties.Column, "", YamlScalarStyle.Plain);

    /// <summary>Scalars, flow collections and aliases: everything that is not a block collection.</summary>
    private YamlNode ParseFlowOrScalar(int parentIndent, bool flow)
    {
        switch (_c.Cur)
        {
            case '|':
            case '>':
                if (flow)
                {
                    throw _c.Error("block scalars ('|', '>') are not allowed inside flow collections");
                }

                return ParseBlockScalar(parentIndent);
            case '[':
                return ParseFlowSequence();
            case '{':
                return ParseFlowMapping();
            case '"':
                return ParseDoubleQuoted();
            case '\'':
                return ParseSingleQuoted();
            case '*':
                return ParseAlias();
            default:
                return ParsePlainScalar(parentIndent, flow);
        }
    }

    private YamlNode ParseBlockMapping(int indent)
    {
        var mapping = YamlNode.Mapping(_c.Line, _c.Indent + 1);
        EnterCollection();
        while (true)
        {
            if (AtSequenceEntry())
            {
                throw _c.Error("a sequence item ('- ') where a mapping key was expected (wrong indentation?)");
            }

            if (AtExplicitKey())
            {
                ParseExplicitEntry(mapping, indent);
            }
            else
            {
                if (!LooksLikeImplicitKey())
                {
                    throw _c.Error("expected a mapping key followed by ': ' (wrong indentation, or a value continued without indentation?)");
                }

                YamlNode key = ParseImplicitKey();
                YamlNode? value = ParseBlockValue(indent, inlineCollections: false, compactSequence: true);
                mapping.Pairs.Add(new(key, value ?? YamlNode.Scalar(key.Line, key.Column, "", YamlScalarStyle.Plain)));
            }

            int next = SkipToNextContentLine();
            if (next < 0 || _c.AtDocumentMarker() || next < indent)
            {
                break;
            }

            if (next > indent)
            {
                throw _c.Error("unexpected indentation (this line is indented deeper than the keys of its mapping)");
            }
        }

        LeaveCollection();
        return mapping;
    }

    private bool AtExplicitKey() => _c.Cur == '?' && _c.IsBlankAt(_c.Pos + 1);

    /// <summary>"? key" then an optional ": value" line at the same indent (YAML 1.2 §8.2.2). The key may be any node;
    /// only scalar keys survive the conversion to JSON.</summary>
    private void ParseExplicitEntry(YamlNode mapping, int indent)
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        _c.Pos++; // the '?'
        YamlNode key = ParseBlockValue(indent, inlineCollections: true, compactSequence: false)
            ?? YamlNode.Scalar(line, column, "", YamlScalarStyle.Plain);
        YamlNode? value = null;
        int next = SkipToNextContentLine();
        if (next == indent && _c.Cur == ':' && _c.IsBlankAt(_c.Pos + 1))
        {
            _c.Pos++;
            value = ParseBlockValue(indent, inlineCollections: true, compactSequence: true);
        }

        mapping.Pairs.Add(new(key, value ?? YamlNode.Scalar(line, column, "", YamlScalarStyle.Plain)));
    }

    private YamlNode ParseBlockSequence(int indent)
    {
        var sequence = YamlNode.Sequence(_c.Line, _c.Indent + 1);
        EnterCollection();
        while (true)
        {
            int itemLine = _c.Line;
            int itemColumn = _c.Indent + 1;
            _c.Pos++; // the '-'
            YamlNode? item = ParseBlockValue(indent, inlineCollections: true, compactSequence: false);
            sequence.Items.Add(item ?? YamlNode.Scalar(itemLine, itemColumn, "", YamlScalarStyle.Plain));
            sequence.ItemLines.Add(itemLine);

            int next = SkipToNextContentLine();
            if (next < 0 || _c.AtDocumentMarker() || next < indent)
            {
                break;
            }

            if (next > indent)
            {
                throw _c.Error("unexpected indentation (this line is indented deeper than the '-' items of its sequence)");
            }

            if (!AtSequenceEntry())
            {
                // Same indent but not an item: the end of a compact sequence; the parent mapping takes the key.
                break;
            }
        }

        LeaveCollection();
        return sequence;
    }

    private void EnterCollection()
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw _c.Error($"collections are nested deeper than {_limits.MaxDepth} levels");
        }
    }

    private void LeaveCollection() => _depth--;
}
