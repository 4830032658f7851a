namespace SecurityOperator.Yaml;

/// <summary>The characters a YAML stream may contain (YAML 1.2 c-printable, which libyaml and so go-yaml enforce):
/// tab, line feed, carriage return, printable ASCII, NEL, and Unicode from U+00A0 except surrogates and U+FFFE/U+FFFF.
/// Checking once up front keeps NUL from being mistaken for the end of input and lone surrogates from reaching the
/// JSON writer.</summary>
internal static class YamlCharacters
{
    public static YamlException? FindDisallowed(string text, string source)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!IsPrintable(c))
            {
                string what = char.IsSurrogate(c) ? "an unpaired surrogate" : "a control character";
                return new YamlException(source, line, i - lineStart + 1, $"{what} U+{(int)c:X4} is not allowed in YAML");
            }
        }

        return null;
    }

    private static bool IsPrintable(char c) =>
        c is '\t' or '\r' or '\u0085' or (>= ' ' and <= '~') || (c >= '\u00A0' && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF'));
}
