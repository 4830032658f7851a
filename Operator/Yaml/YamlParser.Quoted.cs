using System.Globalization;
using System.Text;

namespace SecurityOperator.Yaml;

/// <summary>Single- and double-quoted scalars. Both may span lines: a line break folds to a space, each empty line
/// to a '\n', and whitespace around line breaks is dropped (YAML 1.2 §7.3).</summary>
internal sealed partial class YamlParser
{
    private YamlNode ParseSingleQuoted()
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        _c.Pos++;
        var text = new StringBuilder();
        while (true)
        {
            if (_c.AtEnd)
            {
                throw _c.Error(line, column, "unterminated single-quoted string");
            }

            char c = _c.Cur;
            if (c == '\'')
            {
                if (_c.At(_c.Pos + 1) == '\'')
                {
                    text.Append('\'');
                    _c.Pos += 2;
                    continue;
                }

                _c.Pos++;
                return YamlNode.Scalar(line, column, text.ToString(), YamlScalarStyle.SingleQuoted);
            }

            if (!FoldQuotedWhitespace(text))
            {
                text.Append(c);
                _c.Pos++;
            }
        }
    }

    private YamlNode ParseDoubleQuoted()
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        _c.Pos++;
        var text = new StringBuilder();
        while (true)
        {
            if (_c.AtEnd)
            {
                throw _c.Error(line, column, "unterminated double-quoted string");
            }

            char c = _c.Cur;
            if (c == '"')
            {
                _c.Pos++;
                return YamlNode.Scalar(line, column, text.ToString(), YamlScalarStyle.DoubleQuoted);
            }

            if (c == '\\')
            {
                if (_c.At(_c.Pos + 1) == '\n')
                {
                    // An escaped line break joins the lines without a space; leading whitespace of the next is dropped.
                    _c.Pos++;
                    _c.ConsumeNewline();
                    _c.SkipSpaces();
                    continue;
                }

                AppendEscape(text);
                continue;
            }

            if (!FoldQuotedWhitespace(text))
            {
                text.Append(c);
                _c.Pos++;
            }
        }
    }

    /// <summary>At whitespace or a line break inside quotes: appends inner whitespace as is, or folds a line break
    /// (dropping the whitespace around it). Returns false when the cursor is not at whitespace.</summary>
    private bool FoldQuotedWhitespace(StringBuilder text)
    {
        if (!YamlCursor.IsSpace(_c.Cur) && _c.Cur != '\n')
        {
            return false;
        }

        int start = _c.Pos;
        _c.SkipSpaces();
        if (_c.Cur != '\n')
        {
            text.Append(_c.Text, start, _c.Pos - start);
            return true;
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

        if (_c.AtDocumentMarker())
        {
            throw _c.Error("a document marker inside a quoted string (missing closing quote?)");
        }

        text.Append(emptyLines == 0 ? " " : new string('\n', emptyLines));
        return true;
    }

    private void AppendEscape(StringBuilder text)
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        char e = _c.At(_c.Pos + 1);
        _c.Pos += 2;
        switch (e)
        {
            case '0': text.Append('\0'); return;
            case 'a': text.Append('\a'); return;
            case 'b': text.Append('\b'); return;
            case 't': case '\t': text.Append('\t'); return;
            case 'n': text.Append('\n'); return;
            case 'v': text.Append('\v'); return;
            case 'f': text.Append('\f'); return;
            case 'r': text.Append('\r'); return;
            case 'e': text.Append('\u001b'); return;
            case ' ': text.Append(' '); return;
            case '"': text.Append('"'); return;
            case '/': text.Append('/'); return;
            case '\\': text.Append('\\'); return;
            case 'N': text.Append('\u0085'); return;
            case '_': text.Append('\u00a0'); return;
            case 'L': text.Append('\u2028'); return;
            case 'P': text.Append('\u2029'); return;
            case 'x': AppendCodePoint(text, ReadHex(2, line, column), line, column); return;
            case 'u': AppendUtf16Escape(text, line, column); return;
            case 'U': AppendCodePoint(text, ReadHex(8, line, column), line, column); return;
            default:
                throw _c.Error(line, column, e == '\0' ? "unterminated double-quoted string" : $"unknown escape '\\{e}' in a double-quoted string");
        }
    }

    /// <summary>\uXXXX is a UTF-16 unit: a high surrogate must be followed by a \uXXXX low surrogate (as JSON writes
    /// non-BMP characters), otherwise the text would not be valid Unicode.</summary>
    private void AppendUtf16Escape(StringBuilder text, int line, int column)
    {
        int unit = ReadHex(4, line, column);
        if (char.IsHighSurrogate((char)unit))
        {
            if (_c.Cur == '\\' && _c.At(_c.Pos + 1) == 'u')
            {
                _c.Pos += 2;
                int low = ReadHex(4, line, column);
                if (char.IsLowSurrogate((char)low))
                {
                    text.Append((char)unit).Append((char)low);
                    return;
                }
            }

            throw _c.Error(line, column, "a \\u high surrogate must be followed by a \\u low surrogate");
        }

        AppendCodePoint(text, unit, line, column);
    }

    private void AppendCodePoint(StringBuilder text, int codePoint, int line, int column)
    {
        if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        {
            throw _c.Error(line, column, $"escape U+{codePoint:X} is not a Unicode scalar value");
        }

        text.Append(char.ConvertFromUtf32(codePoint));
    }

    private int ReadHex(int digits, int line, int column)
    {
        if (_c.Pos + digits > _c.Text.Length
            || !int.TryParse(_c.Text.AsSpan(_c.Pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
            || value < 0)
        {
            throw _c.Error(line, column, $"escape needs exactly {digits} hexadecimal digits");
        }

        _c.Pos += digits;
        return value;
    }
}
