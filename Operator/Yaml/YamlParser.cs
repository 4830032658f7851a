namespace SecurityOperator.Yaml;

/// <summary>Recursive-descent YAML parser over a forward-only cursor. Block structure is decided by indentation columns
/// compared against the enclosing collection's indent ("parentIndent", -1 at the document level).
/// Convention: every Parse* method leaves the cursor right after its node's last character (or at the start of the
/// first line that no longer belongs to a multi-line node); <see cref="SkipToNextContentLine"/> then moves on.
/// Not supported (clear errors, none seen in Kubernetes manifests or kubeconfigs): explicit "? " keys, multi-line or
/// flow-collection keys, single-pair mappings inside flow sequences ("[a: b]"), %TAG directives and custom tags,
/// block scalars inside flow collections.</summary>
internal sealed partial class YamlParser
{
    private readonly YamlCursor _c;
    private readonly YamlLimits _limits;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private int _depth;
    private int _documentLine;

    public YamlParser(string text, string source, YamlLimits limits)
    {
        _c = new YamlCursor(text, source);
        _limits = limits;
    }

    /// <summary>The next non-empty document of the stream, or null at its end.</summary>
    public YamlNode? ParseNextDocument()
    {
        while (true)
        {
            int indent = SkipToNextContentLine();
            if (indent < 0)
            {
                return null;
            }

            if (_c.Cur == '%' && indent == 0)
            {
                SkipDirective();
                continue;
            }

            if (_c.AtDocumentMarker() && _c.Cur == '.')
            {
                _c.Pos += 3;
                continue;
            }

            // Anchors never cross documents (YAML 1.2 §9.2; go-yaml resets them per document too).
            _anchors.Clear();
            _depth = 0;
            _documentLine = _c.Line;
            YamlNode? root;
            if (_c.AtDocumentMarker())
            {
                _c.Pos += 3;
                root = ParseBlockValue(parentIndent: -1, inlineCollections: false, compactSequence: false);
            }
            else
            {
                root = ParseNodeAtContent(parentIndent: -1, blockCollections: true, compactSequence: false);
            }

            int next = SkipToNextContentLine();
            if (next >= 0 && !_c.AtDocumentMarker())
            {
                throw _c.Error(next == 0
                    ? "unexpected content after the end of the document's root node (a key or item at the wrong indentation?)"
                    : "unexpected indentation");
            }

            if (root is not null)
            {
                return root;
            }
        }
    }

    /// <summary>After an error: skips to the next line starting with "---" so later documents of the stream can still
    /// be read (one broken manifest must not hide the others).</summary>
    public void SkipToNextDocumentStart()
    {
        // The error may have been found on a "---" line itself (e.g. an unclosed bracket ran into it).
        // Only a later marker than the failed document's own, or recovery would fail on the same line forever.
        _c.Pos = _c.LineStart;
        if (_c.Line > _documentLine && _c.AtDocumentMarker() && _c.Cur == '-')
        {
            return;
        }

        _c.SkipToLineEnd();
        while (!_c.AtEnd)
        {
            _c.ConsumeNewline();
            if (_c.AtDocumentMarker() && _c.Cur == '-')
            {
                return;
            }

            _c.SkipToLineEnd();
        }
    }

    private void SkipDirective()
    {
        int line = _c.Line;
        int start = _c.Pos;
        _c.SkipToLineEnd();
        string directive = _c.Text[start.._c.Pos];
        if (directive.StartsWith("%TAG", StringComparison.Ordinal))
        {
            throw _c.Error(line, 1, "%TAG directives are not supported");
        }
    }

    /// <summary>Moves to the first content character of the next line that has any (skipping blank and comment-only
    /// lines) and returns its indentation, or -1 at the end of input. Idempotent when already there. Anything but a
    /// comment after the current position on the current line is an error.</summary>
    private int SkipToNextContentLine()
    {
        while (true)
        {
            if (OnlySpacesBeforeCursor())
            {
                while (_c.Cur == ' ')
                {
                    _c.Pos++;
                }

                if (_c.Cur == '\t')
                {
                    _c.SkipSpaces();
                    if (!_c.AtLineEndOrComment())
                    {
                        throw _c.Error("tab characters must not be used for indentation (use spaces)");
                    }
                }
                else if (!_c.AtLineEndOrComment())
                {
                    return _c.Indent;
                }
            }
            else
            {
                _c.SkipSpaces();
                if (!_c.AtLineEndOrComment())
                {
                    throw _c.Error($"unexpected '{_c.Cur}' after a complete value");
                }
            }

            _c.SkipToLineEnd();
            if (_c.AtEnd)
            {
                return -1;
            }

            _c.ConsumeNewline();
        }
    }

    private bool OnlySpacesBeforeCursor()
    {
        for (int p = _c.LineStart; p < _c.Pos; p++)
        {
            if (_c.Text[p] != ' ')
            {
                return false;
            }
        }

        return true;
    }

    private bool AtSequenceEntry() => _c.Cur == '-' && _c.IsBlankAt(_c.Pos + 1);

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

        if (_c.Cur == '?' && _c.IsBlankAt(_c.Pos + 1))
        {
            throw _c.Error("explicit mapping keys ('? ') are not supported");
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

            if (_c.Cur == '?' && _c.IsBlankAt(_c.Pos + 1))
            {
                throw _c.Error("explicit mapping keys ('? ') are not supported");
            }

            if (!LooksLikeImplicitKey())
            {
                throw _c.Error("expected a mapping key followed by ': ' (wrong indentation, or a value continued without indentation?)");
            }

            YamlNode key = ParseImplicitKey();
            YamlNode? value = ParseBlockValue(indent, inlineCollections: false, compactSequence: true);
            mapping.Pairs.Add(new(key, value ?? YamlNode.Scalar(key.Line, key.Column, "", YamlScalarStyle.Plain)));

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
