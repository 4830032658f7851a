namespace SecurityOperator.Yaml;

/// <summary>Block mapping keys: single-line implicit keys (plain, quoted or alias) followed by ':' and whitespace.</summary>
internal sealed partial class YamlParser
{
    /// <summary>Lookahead on the current line only: does a "key: " start here?</summary>
    private bool LooksLikeImplicitKey()
    {
        string t = _c.Text;
        int p = _c.Pos;
        while (p < t.Length && (t[p] == '&' || t[p] == '!'))
        {
            while (!_c.IsBlankAt(p))
            {
                p++;
            }

            while (p < t.Length && YamlCursor.IsSpace(t[p]))
            {
                p++;
            }
        }

        if (p >= t.Length)
        {
            return false;
        }

        char first = t[p];
        if (first is '"' or '\'')
        {
            p = EndOfQuotedOnLine(p);
            if (p < 0)
            {
                return false;
            }

            while (p < t.Length && YamlCursor.IsSpace(t[p]))
            {
                p++;
            }

            return p < t.Length && t[p] == ':' && _c.IsBlankAt(p + 1);
        }

        if (first is '[' or '{' or '|' or '>' or '#' or '%' or '@' or '`')
        {
            return false;
        }

        if (first == '-' && _c.IsBlankAt(p + 1))
        {
            return false;
        }

        for (; p < t.Length && t[p] != '\n'; p++)
        {
            if (t[p] == ':' && _c.IsBlankAt(p + 1))
            {
                return true;
            }

            if (t[p] == '#' && p > _c.Pos && YamlCursor.IsSpace(t[p - 1]))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Index just after the closing quote of the quoted scalar opening at <paramref name="open"/>, or -1 when
    /// it does not close on this line.</summary>
    private int EndOfQuotedOnLine(int open)
    {
        string t = _c.Text;
        char quote = t[open];
        for (int p = open + 1; p < t.Length && t[p] != '\n'; p++)
        {
            if (quote == '"' && t[p] == '\\')
            {
                p++;
                continue;
            }

            if (t[p] == quote)
            {
                if (quote == '\'' && p + 1 < t.Length && t[p + 1] == '\'')
                {
                    p++;
                    continue;
                }

                return p + 1;
            }
        }

        return -1;
    }

    /// <summary>Parses a key that <see cref="LooksLikeImplicitKey"/> accepted and consumes the ':' after it.</summary>
    private YamlNode ParseImplicitKey()
    {
        var properties = ParseProperties();
        YamlNode key = _c.Cur switch
        {
            '"' => ParseDoubleQuoted(),
            '\'' => ParseSingleQuoted(),
            '*' => ParseAlias(),
            _ => ParsePlainKey(),
        };
        key = ApplyProperties(key, properties);
        _c.SkipSpaces();
        if (_c.Cur != ':')
        {
            throw _c.Error("expected ':' after the mapping key");
        }

        _c.Pos++;
        return key;
    }

    private YamlNode ParsePlainKey()
    {
        int line = _c.Line;
        int column = _c.Indent + 1;
        string t = _c.Text;
        int start = _c.Pos;
        int end = start;
        while (!(t[_c.Pos] == ':' && _c.IsBlankAt(_c.Pos + 1)))
        {
            if (!YamlCursor.IsSpace(t[_c.Pos]))
            {
                end = _c.Pos + 1;
            }

            _c.Pos++;
        }

        _c.Pos = end;
        return YamlNode.Scalar(line, column, t[start..end], YamlScalarStyle.Plain);
    }
}
