using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Selectors;

/// <summary>A parsed labelSelector query parameter: equality (=, ==, !=) and set-based (in, notin, exists, !exists)
/// requirements, ANDed (pods-04). Parse errors carry kube-apiserver's wording, e.g. "unable to parse requirement: found
/// '=', expected: identifier" for "app===web" (pods-04 REQUEST 6).</summary>
public sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(JsonObject? labels)
    {
        foreach (var r in _requirements)
        {
            var present = labels is not null && labels.TryGetPropertyValue(r.Key, out var node) && node is not null;
            var value = present ? labels![r.Key]!.ToString() : null;
            var ok = r.Op switch
            {
                Operator.Equals => present && value == r.Values[0],
                Operator.NotEquals => !present || value != r.Values[0],
                Operator.In => present && r.Values.Contains(value!),
                Operator.NotIn => !present || !r.Values.Contains(value!),
                Operator.Exists => present,
                Operator.DoesNotExist => !present,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Parses the selector; throws <see cref="FormatException"/> with the server's message on bad input.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var tokens = SelectorLexer.Lex(text);
        var pos = 0;
        var requirements = new List<Requirement>();
        while (true)
        {
            requirements.Add(ParseRequirement(tokens, ref pos));
            var t = tokens[pos];
            if (t.Kind == TokenKind.End) break;
            if (t.Kind != TokenKind.Comma) throw Fail($"found '{t.Text}', expected: ',' or 'end of string'");
            pos++;
        }
        return new LabelSelector(requirements);
    }

    private static Requirement ParseRequirement(List<Token> tokens, ref int pos)
    {
        var t = tokens[pos];
        if (t.Kind == TokenKind.Bang)
        {
            pos++;
            var key = Expect(tokens, ref pos, TokenKind.Identifier);
            return new Requirement(key, Operator.DoesNotExist, []);
        }
        if (t.Kind != TokenKind.Identifier) throw Fail($"found '{t.Text}', expected: !, identifier, or 'end of string'");
        pos++;
        var op = tokens[pos];
        switch (op.Kind)
        {
            case TokenKind.End:
            case TokenKind.Comma:
                return new Requirement(t.Text, Operator.Exists, []);
            case TokenKind.Equals:
            case TokenKind.DoubleEquals:
            case TokenKind.NotEquals:
            {
                pos++;
                var v = tokens[pos];
                string value;
                if (v.Kind is TokenKind.End or TokenKind.Comma) value = ""; // "app=" selects an empty value
                else if (v.Kind == TokenKind.Identifier) { value = v.Text; pos++; }
                else throw Fail($"found '{v.Text}', expected: identifier");
                return new Requirement(t.Text, op.Kind == TokenKind.NotEquals ? Operator.NotEquals : Operator.Equals, [value]);
            }
            case TokenKind.In:
            case TokenKind.NotIn:
            {
                pos++;
                Expect(tokens, ref pos, TokenKind.OpenParen);
                var values = new List<string>();
                while (tokens[pos].Kind != TokenKind.CloseParen)
                {
                    values.Add(Expect(tokens, ref pos, TokenKind.Identifier));
                    if (tokens[pos].Kind == TokenKind.Comma) pos++;
                    else if (tokens[pos].Kind != TokenKind.CloseParen) throw Fail($"found '{tokens[pos].Text}', expected: ',' or ')'");
                }
                pos++;
                return new Requirement(t.Text, op.Kind == TokenKind.In ? Operator.In : Operator.NotIn, values);
            }
            default:
                throw Fail($"found '{op.Text}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private static string Expect(List<Token> tokens, ref int pos, TokenKind kind)
    {
        var t = tokens[pos];
        if (t.Kind != kind) throw Fail($"found '{t.Text}', expected: {(kind == TokenKind.Identifier ? "identifier" : kind.ToString())}");
        pos++;
        return t.Text;
    }

    private static FormatException Fail(string detail) => new($"unable to parse requirement: {detail}");

    private enum Operator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values);
}
