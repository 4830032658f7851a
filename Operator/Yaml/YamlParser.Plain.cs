using System.Text;

namespace SecurityOperator.Yaml;

/// <summary>Plain (unquoted) scalars, possibly continued on more-indented lines (folded with single spaces).</summary>
internal sealed partial class YamlParser
{
    private YamlNode ParsePlainScalar(int parentIndent, bool flow)
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        char first = _c.Cur;
        if (first is '@' or '`')
        {
            throw _c.Error($"'{first}' is reserved and cannot start a plain scalar; quote the value");
        }

        if (first is ',' or ']' or '}' or '#' || (first is ':' or '?' or '-' && _c.IsBlankAt(_c.Pos + 1)))
        {
            throw _c.Error($"unexpected '{first}' where a value was expected");
        }

        var text = new StringBuilder(ScanPlainLine(flow));
        while (true)
        {
            YamlCursor.Mark beforeBreak = _c.Save();
            _c.SkipSpaces();
            if (_c.Cur != '\n')
            {
                _c.Restore(beforeBreak);
                break;
            }

            int emptyLines = 0;
            _c.ConsumeNewline();
            while (true)
            {
                _c.SkipSpaces();
                if (_c.Cur != '\n')
                {
                    break;
                }

                emptyLines++;
                _c.ConsumeNewline();
            }

            bool continues = !_c.AtEnd
                && !(_c.Pos - _c.LineStart <= parentIndent && !flow)
                && !LineIndentHasTab()
                && !_c.AtDocumentMarker()
                && !_c.AtLineEndOrComment()
                && !(flow && (YamlCursor.IsFlowIndicator(_c.Cur) || _c.Cur == ':'));
            if (!continues)
            {
                _c.Restore(beforeBreak);
                break;
            }

            if (!flow && _c.Cur == ':' && _c.IsBlankAt(_c.Pos + 1))
            {
                throw _c.Error("mapping values are not allowed here (a plain value continues on this line; check its indentation or quote it)");
            }

            string more = ScanPlainLine(flow);
            text.Append(emptyLines == 0 ? " " : new string('\n', emptyLines));
            text.Append(more);
            if (!flow && _c.Cur == ':' && _c.IsBlankAt(_c.Pos + 1))
            {
                throw _c.Error("mapping values are not allowed here (a plain value continues on this line; check its indentation or quote it)");
            }
        }

        return YamlNode.Scalar(line, column, text.ToString(), YamlScalarStyle.Plain);
    }

    private bool LineIndentHasTab()
    {
        for (int p = _c.LineStart; p < _c.Pos; p++)
        {
            if (_c.Text[p] == '\t')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rest of a plain scalar on this line, without trailing whitespace. Stops at ": ", " #", a line
    /// break, and in flow context at ",[]{}" and at ':' before a flow indicator (so "{a: http://x}" keeps its URL).</summary>
    private string ScanPlainLine(bool flow)
    {
        string t = _c.Text;
        int start = _c.Pos;
        int end = start;
        int p = start;
        while (p < t.Length)
        {
            char c = t[p];
            if (c == '\n')
            {
                break;
            }

            if (c == ':' && (_c.IsBlankAt(p + 1) || (flow && YamlCursor.IsFlowIndicator(_c.At(p + 1)))))
            {
                break;
            }

            if (c == '#' && p > start && YamlCursor.IsSpace(t[p - 1]))
            {
                break;
            }

            if (flow && YamlCursor.IsFlowIndicator(c))
            {
                break;
            }

            p++;
            if (!YamlCursor.IsSpace(c))
            {
                end = p;
            }
        }

        _c.Pos = end;
        return t[start..end];
    }
}
