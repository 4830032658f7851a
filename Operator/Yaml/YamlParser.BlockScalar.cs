using System.Text;

namespace SecurityOperator.Yaml;

/// <summary>Literal ('|') and folded ('&gt;') block scalars with chomping ('-' strip, '+' keep, default clip) and an
/// optional indentation indicator (1-9, relative to the parent's indentation).</summary>
internal sealed partial class YamlParser
{
    private enum Chomping
    {
        Clip,
        Strip,
        Keep,
    }

    private readonly record struct BlockLine(string Text, bool Empty);

    private YamlNode ParseBlockScalar(int parentIndent)
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        bool literal = _c.Cur == '|';
        _c.Pos++;
        (Chomping chomping, int indicator) = ParseBlockHeader();

        _c.SkipSpaces();
        if (!_c.AtLineEndOrComment())
        {
            throw _c.Error("unexpected text after a block scalar header (only a comment may follow '|' or '>')");
        }

        _c.SkipToLineEnd();
        if (!_c.AtEnd)
        {
            _c.ConsumeNewline();
        }

        // Same rule as libyaml: the indicator counts from the parent's indentation (0 for a top-level node).
        int contentIndent = indicator > 0 ? Math.Max(parentIndent, 0) + indicator : DetectContentIndent(parentIndent);
        List<BlockLine> lines = ReadBlockLines(contentIndent);
        string value = literal ? JoinLiteral(lines, chomping) : JoinFolded(lines, chomping);
        return YamlNode.Scalar(line, column, value, literal ? YamlScalarStyle.Literal : YamlScalarStyle.Folded);
    }

    private (Chomping, int) ParseBlockHeader()
    {
        var chomping = Chomping.Clip;
        int indicator = 0;
        for (int i = 0; i < 2; i++)
        {
            char c = _c.Cur;
            if (c is '-' or '+' && chomping == Chomping.Clip)
            {
                chomping = c == '-' ? Chomping.Strip : Chomping.Keep;
            }
            else if (c is >= '1' and <= '9' && indicator == 0)
            {
                indicator = c - '0';
            }
            else if (c == '0')
            {
                throw _c.Error("a block scalar indentation indicator must be 1-9");
            }
            else
            {
                break;
            }

            _c.Pos++;
        }

        return (chomping, indicator);
    }

    /// <summary>The indentation of the first non-empty line. When the scalar has no content line (the next non-empty
    /// line is not indented deeper than the parent), one more than the parent: only empty lines are then taken.</summary>
    private int DetectContentIndent(int parentIndent)
    {
        string t = _c.Text;
        int p = _c.Pos;
        while (p < t.Length)
        {
            int lineStart = p;
            while (p < t.Length && t[p] == ' ')
            {
                p++;
            }

            if (p < t.Length && t[p] == '\n')
            {
                p++;
                continue;
            }

            int indent = p - lineStart;
            bool isMarker = indent == 0 && p + 3 <= t.Length && (t.AsSpan(p, 3) is "---" or "...") && _c.IsBlankAt(p + 3);
            return indent > parentIndent && p < t.Length && !isMarker ? indent : parentIndent + 1;
        }

        return parentIndent + 1;
    }

    /// <summary>Consumes the scalar's lines: empty lines, and lines indented at least <paramref name="indent"/>. Stops
    /// (without consuming) at the first less-indented non-empty line or a document marker.</summary>
    private List<BlockLine> ReadBlockLines(int indent)
    {
        var lines = new List<BlockLine>();
        string t = _c.Text;
        while (!_c.AtEnd)
        {
            int p = _c.LineStart;
            while (p < t.Length && t[p] == ' ' && p - _c.LineStart < indent)
            {
                p++;
            }

            int lineEnd = t.IndexOf('\n', p);
            if (lineEnd < 0)
            {
                lineEnd = t.Length;
            }

            bool blank = t.AsSpan(p, lineEnd - p).Trim(' ').IsEmpty;
            if (p - _c.LineStart < indent && !blank)
            {
                break; // a less-indented line: the scalar is over
            }

            if (_c.AtDocumentMarker())
            {
                break;
            }

            lines.Add(p - _c.LineStart < indent ? new BlockLine("", true) : new BlockLine(t[p..lineEnd], lineEnd == p));
            _c.Pos = lineEnd;
            if (_c.AtEnd)
            {
                break;
            }

            _c.ConsumeNewline();
        }

        return lines;
    }

    private static string JoinLiteral(List<BlockLine> lines, Chomping chomping)
    {
        var text = new StringBuilder();
        int pendingBreaks = 0;
        bool content = false;
        foreach (BlockLine line in lines)
        {
            if (line.Empty)
            {
                pendingBreaks++;
                continue;
            }

            text.Append('\n', pendingBreaks + (content ? 1 : 0));
            text.Append(line.Text);
            content = true;
            pendingBreaks = 0;
        }

        return Chomp(text, content, pendingBreaks, chomping);
    }

    /// <summary>Folding: a line break between two non-empty lines that do not start with whitespace becomes a space;
    /// empty lines become '\n'; "more indented" lines keep their line breaks (YAML 1.2 §8.1.3).</summary>
    private static string JoinFolded(List<BlockLine> lines, Chomping chomping)
    {
        var text = new StringBuilder();
        int pendingBreaks = 0;
        bool content = false;
        bool previousMoreIndented = false;
        foreach (BlockLine line in lines)
        {
            if (line.Empty)
            {
                pendingBreaks++;
                continue;
            }

            bool moreIndented = line.Text[0] is ' ' or '\t';
            if (!content)
            {
                text.Append('\n', pendingBreaks);
            }
            else if (!previousMoreIndented && !moreIndented)
            {
                if (pendingBreaks == 0)
                {
                    text.Append(' ');
                }
                else
                {
                    text.Append('\n', pendingBreaks);
                }
            }
            else
            {
                text.Append('\n', pendingBreaks + 1);
            }

            text.Append(line.Text);
            content = true;
            previousMoreIndented = moreIndented;
            pendingBreaks = 0;
        }

        return Chomp(text, content, pendingBreaks, chomping);
    }

    private static string Chomp(StringBuilder text, bool content, int trailingEmptyLines, Chomping chomping)
    {
        switch (chomping)
        {
            case Chomping.Keep:
                text.Append('\n', trailingEmptyLines + (content ? 1 : 0));
                break;
            case Chomping.Clip when content:
                text.Append('\n');
                break;
        }

        return text.ToString();
    }
}
