namespace SecurityOperator.Yaml;

/// <summary>Flow collections ("[a, b]", "{k: v}"), which may span lines and nest; indentation does not matter inside.</summary>
internal sealed partial class YamlParser
{
    private YamlNode ParseFlowSequence()
    {
        var sequence = YamlNode.Sequence(_c.Line, _c.Indent + 1);
        EnterCollection();
        _c.Pos++;
        while (true)
        {
            SkipFlowWhitespace();
            if (_c.Cur == ']')
            {
                _c.Pos++;
                break;
            }

            int itemLine = _c.Line;
            sequence.Items.Add(ParseFlowNode());
            sequence.ItemLines.Add(itemLine);
            SkipFlowWhitespace();
            if (_c.Cur == ':')
            {
                throw _c.Error("':' inside a flow sequence: a missing ']', or a single-pair mapping ('[a: b]', not supported; write '[{a: b}]')");
            }

            if (!ExpectFlowSeparator(']'))
            {
                break;
            }
        }

        LeaveCollection();
        return sequence;
    }

    private YamlNode ParseFlowMapping()
    {
        var mapping = YamlNode.Mapping(_c.Line, _c.Indent + 1);
        EnterCollection();
        _c.Pos++;
        while (true)
        {
            SkipFlowWhitespace();
            if (_c.Cur == '}')
            {
                _c.Pos++;
                break;
            }

            if (_c.Cur == '?' && _c.IsBlankAt(_c.Pos + 1))
            {
                throw _c.Error("explicit mapping keys ('? ') are not supported");
            }

            YamlNode key = ParseFlowNode();
            SkipFlowWhitespace();
            YamlNode value;
            if (_c.Cur == ':')
            {
                _c.Pos++;
                SkipFlowWhitespace();
                value = _c.Cur is ',' or '}'
                    ? YamlNode.Scalar(_c.Line, _c.Indent + 1, "", YamlScalarStyle.Plain)
                    : ParseFlowNode();
            }
            else
            {
                // "{a, b}": keys without values are null, as in a YAML set.
                value = YamlNode.Scalar(key.Line, key.Column, "", YamlScalarStyle.Plain);
            }

            mapping.Pairs.Add(new(key, value));
            SkipFlowWhitespace();
            if (!ExpectFlowSeparator('}'))
            {
                break;
            }
        }

        LeaveCollection();
        return mapping;
    }

    /// <summary>Consumes ',' (returns true: more entries may follow) or the closing bracket (returns false).</summary>
    private bool ExpectFlowSeparator(char close)
    {
        if (_c.Cur == ',')
        {
            _c.Pos++;
            return true;
        }

        if (_c.Cur == close)
        {
            _c.Pos++;
            return false;
        }

        throw _c.AtEnd
            ? _c.Error($"unterminated flow collection: expected ',' or '{close}' before the end of input")
            : _c.Error($"expected ',' or '{close}' in a flow collection, found '{_c.Cur}'");
    }

    private YamlNode ParseFlowNode()
    {
        if (_c.AtEnd)
        {
            throw _c.Error("unterminated flow collection");
        }

        var properties = ParseProperties();
        if (properties.HasAny && (_c.Cur is ',' or ']' or '}' or ':'))
        {
            return ApplyProperties(EmptyScalar(properties), properties);
        }

        return ApplyProperties(ParseFlowOrScalar(parentIndent: -1, flow: true), properties);
    }

    /// <summary>Spaces, tabs, line breaks and comments between flow tokens.</summary>
    private void SkipFlowWhitespace()
    {
        while (true)
        {
            _c.SkipSpaces();
            if (_c.Cur == '#' && (_c.Pos == _c.LineStart || YamlCursor.IsSpace(_c.Text[_c.Pos - 1])))
            {
                _c.SkipToLineEnd();
            }

            if (_c.Cur != '\n')
            {
                return;
            }

            _c.ConsumeNewline();
            if (_c.AtDocumentMarker())
            {
                throw _c.Error("a document marker inside a flow collection (missing closing bracket?)");
            }
        }
    }
}
