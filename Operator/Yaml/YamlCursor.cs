namespace SecurityOperator.Yaml;

/// <summary>Forward-only position in the (line-ending normalized) text, with the line bookkeeping every error needs.
/// Lookahead is done by saving and restoring a <see cref="Mark"/>, never by re-reading from the start.</summary>
internal sealed class YamlCursor
{
    private readonly string _text;
    private readonly string _source;

    public YamlCursor(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public readonly record struct Mark(int Pos, int Line, int LineStart);

    public string Text => _text;
    public int Pos { get; set; }
    public int Line { get; private set; } = 1;
    public int LineStart { get; private set; }

    /// <summary>0-based column of the current position; block indentation is compared in these units.</summary>
    public int Indent => Pos - LineStart;

    public bool AtEnd => Pos >= _text.Length;
    public char Cur => Pos < _text.Length ? _text[Pos] : '\0';
    public char At(int pos) => pos < _text.Length ? _text[pos] : '\0';

    public Mark Save() => new(Pos, Line, LineStart);

    public void Restore(Mark mark)
    {
        Pos = mark.Pos;
        Line = mark.Line;
        LineStart = mark.LineStart;
    }

    /// <summary>Consumes one '\n' (the only line break left after normalization).</summary>
    public void ConsumeNewline()
    {
        Pos++;
        Line++;
        LineStart = Pos;
    }

    public static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\0';
    public static bool IsSpace(char c) => c is ' ' or '\t';
    public static bool IsFlowIndicator(char c) => c is ',' or '[' or ']' or '{' or '}';

    /// <summary>True when the character at <paramref name="pos"/> is whitespace, a line break or the end of input.</summary>
    public bool IsBlankAt(int pos) => pos >= _text.Length || IsBlank(_text[pos]);

    public void SkipSpaces()
    {
        while (Pos < _text.Length && IsSpace(_text[Pos]))
        {
            Pos++;
        }
    }

    /// <summary>After optional spaces: a line break, the end, or a comment ('#' is a comment only after whitespace or at
    /// the start of a line; "a#b" is a plain scalar).</summary>
    public bool AtLineEndOrComment()
    {
        char c = Cur;
        if (c is '\n' or '\0')
        {
            return true;
        }

        return c == '#' && (Pos == LineStart || IsSpace(_text[Pos - 1]));
    }

    public void SkipToLineEnd()
    {
        while (Pos < _text.Length && _text[Pos] != '\n')
        {
            Pos++;
        }
    }

    /// <summary>"---" or "..." in column 1 followed by whitespace or the end: a document boundary.</summary>
    public bool AtDocumentMarker()
    {
        if (Pos != LineStart || Pos + 3 > _text.Length)
        {
            return false;
        }

        char c = _text[Pos];
        return (c == '-' || c == '.') && _text[Pos + 1] == c && _text[Pos + 2] == c && IsBlankAt(Pos + 3);
    }

    public YamlException Error(string problem) => Error(Line, Pos - LineStart + 1, problem);

    public YamlException Error(int line, int column, string problem) => new(_source, line, column, problem);
}
