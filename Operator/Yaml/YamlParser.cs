namespace SecurityOperator.Yaml;

/// <summary>Recursive-descent YAML parser over a forward-only cursor. Block structure is decided by indentation columns
/// compared against the enclosing collection's indent ("parentIndent", -1 at the document level).
/// Convention: every Parse* method leaves the cursor right after its node's last character (or at the start of the
/// first line that no longer belongs to a multi-line node); <see cref="SkipToNextContentLine"/> then moves on.
/// Not supported (clear errors, none seen in Kubernetes manifests or kubeconfigs): multi-line implicit keys,
/// flow collections as implicit keys (use "? "), %TAG directives and custom tags,
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
}
