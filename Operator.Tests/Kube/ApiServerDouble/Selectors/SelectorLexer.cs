namespace SecurityOperator.Tests.Kube.ApiServer.Selectors;

internal enum TokenKind { Identifier, Comma, Equals, DoubleEquals, NotEquals, Bang, In, NotIn, OpenParen, CloseParen, End }

internal sealed record Token(TokenKind Kind, string Text);

/// <summary>The labels.Lexer of apimachinery, reduced to what label selectors use: operators are read greedily, so
/// "===" lexes as "==" then "=" (which is why pods-04 REQUEST 6 fails on the second '=').</summary>
internal static class SelectorLexer
{
    public static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            switch (c)
            {
                case ',': tokens.Add(new(TokenKind.Comma, ",")); i++; continue;
                case '(': tokens.Add(new(TokenKind.OpenParen, "(")); i++; continue;
                case ')': tokens.Add(new(TokenKind.CloseParen, ")")); i++; continue;
                case '=':
                    if (i + 1 < text.Length && text[i + 1] == '=') { tokens.Add(new(TokenKind.DoubleEquals, "==")); i += 2; }
                    else { tokens.Add(new(TokenKind.Equals, "=")); i++; }
                    continue;
                case '!':
                    if (i + 1 < text.Length && text[i + 1] == '=') { tokens.Add(new(TokenKind.NotEquals, "!=")); i += 2; }
                    else { tokens.Add(new(TokenKind.Bang, "!")); i++; }
                    continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && ",()=!".IndexOf(text[i]) < 0) i++;
            var word = text[start..i];
            tokens.Add(word switch
            {
                "in" => new(TokenKind.In, word),
                "notin" => new(TokenKind.NotIn, word),
                _ => new(TokenKind.Identifier, word),
            });
        }
        tokens.Add(new(TokenKind.End, ""));
        return tokens;
    }
}
