using System.Text;
using System.Text.Json;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Tests.Utf8Json;

/// <summary>JsonScanner must accept and reject exactly what Utf8JsonReader (default options) does, with the same tokens:
/// checked on hand-picked inputs and differentially on many random mutations of a real pod.</summary>
public class JsonScannerTests
{
    private static readonly string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-\u00e9\ud83d\ude00","labels":{"app":"web","tier":"frontend"},
         "annotations":{"a/b":"x\"y\\z\/\b\f\n\r\t"}},
         "spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":1000,"fsGroup":-2},"hostNetwork":false,"priority":null,
          "containers":[{"name":"app","image":"registry.example.com/app:1.2","ports":[{"containerPort":8080,"protocol":"TCP"}],
            "resources":{"limits":{"cpu":0.5,"memory":"1Gi"},"requests":{"cpu":1e-1,"memory":1.5E+3}},
            "args":[],"env":[{}],"command":["sh","-c","echo \"hi\""]}]},
         "status":{}}
        """;

    private readonly record struct Token(JsonTokenType Type, string Value, int Depth, long Start, long Consumed);

    private static List<Token> Expected(byte[] json, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var tokens = new List<Token>();
        while (reader.Read())
        {
            var value = Convert.ToHexString(reader.ValueSpan);
            if (reader.ValueIsEscaped && System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            {
                var buffer = new byte[reader.ValueSpan.Length];
                value += "|" + Convert.ToHexString(buffer, 0, reader.CopyString(buffer));
            }
            tokens.Add(new Token(reader.TokenType, value, reader.CurrentDepth, reader.TokenStartIndex, reader.BytesConsumed));
        }
        return tokens;
    }

    private static List<Token> Actual(byte[] json, int maxDepth = 64)
    {
        var scanner = new JsonScanner(json, maxDepth);
        var tokens = new List<Token>();
        while (scanner.Read())
        {
            // Raw bytes always; the unescaped text too where it is valid UTF-8 (Utf8JsonReader.CopyString throws on
            // invalid UTF-8, JsonScanner leaves that to the caller, as Utf8JsonReader.Read does).
            var value = Convert.ToHexString(scanner.ValueSpan);
            if (scanner.ValueIsEscaped && System.Text.Unicode.Utf8.IsValid(scanner.ValueSpan))
            {
                var buffer = new byte[scanner.ValueSpan.Length];
                value += "|" + Convert.ToHexString(buffer, 0, scanner.CopyString(buffer));
            }
            tokens.Add(new Token(scanner.TokenType, value, scanner.CurrentDepth, scanner.TokenStartIndex, scanner.BytesConsumed));
        }
        return tokens;
    }

    /// <summary>Null when the reader rejects the input, else its tokens.</summary>
    private static List<Token>? Outcome(Func<byte[], List<Token>> read, byte[] json, out Exception? error)
    {
        try { error = null; return read(json); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { error = e; return null; }
    }

    private static void AssertSameAsUtf8JsonReader(byte[] json, int maxDepth = 64)
    {
        var expected = Outcome(j => Expected(j, maxDepth), json, out var expectedError);
        var actual = Outcome(j => Actual(j, maxDepth), json, out var actualError);
        var text = Encoding.UTF8.GetString(json);
        if (expected is null)
        {
            Assert.True(actual is null, $"Utf8JsonReader rejects ({expectedError!.Message}) but JsonScanner accepts: {text}");
            Assert.IsType<JsonScanException>(actualError);
            return;
        }
        Assert.True(actual is not null, $"Utf8JsonReader accepts but JsonScanner rejects ({actualError?.Message}): {text}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ReadsAPodWithEveryTokenKindLikeUtf8JsonReader()
    {
        var json = Encoding.UTF8.GetBytes(Pod);
        AssertSameAsUtf8JsonReader(json);
        Assert.True(Actual(json).Count > 80);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.0e+0")]
    [InlineData("  \"scalar root\" \r\n\t")]
    [InlineData("[]")]
    [InlineData("[[],{},[{}]]")]
    [InlineData("{\"\":\"\"}")]
    [InlineData("{\"a\\u0000b\":\"\\u00e9\\uD834\\uDD1E\"}")]
    [InlineData("[1,2.5,-3e7,true,false,null]")]
    [InlineData("12345678901234567890123")]
    public void AcceptsValidJson(string json) => AssertSameAsUtf8JsonReader(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\"")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1,]")]
    [InlineData("[1 2]")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\":1]")]
    [InlineData("[1}")]
    [InlineData("{} {}")]
    [InlineData("{}x")]
    [InlineData("tru")]
    [InlineData("truex")]
    [InlineData("nul")]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1.e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("\"abc")]
    [InlineData("\"a\\x\"")]
    [InlineData("\"a\\u12G4\"")]
    [InlineData("\"a\\u12\"")]
    [InlineData("\"tab\there\"")]
    [InlineData("[1,,2]")]
    [InlineData(",")]
    [InlineData("]")]
    [InlineData("{\"a\":1}}")]
    [InlineData("/* comment */ {}")]
    public void RejectsWhatUtf8JsonReaderRejects(string json) => AssertSameAsUtf8JsonReader(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void EnforcesTheDepthLimitAtTheSameLevel()
    {
        for (var depth = 3; depth <= 6; depth++)
        {
            var json = Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            AssertSameAsUtf8JsonReader(json, maxDepth: 4);
        }
        var error = Assert.Throws<JsonScanException>(() => Actual(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65))));
        Assert.Contains("nesting depth over the limit of 64 levels", error.Message);
    }

    [Fact]
    public void ErrorsNameTheProblemAndItsLineAndColumn()
    {
        var error = Assert.Throws<JsonScanException>(() => Actual(Encoding.UTF8.GetBytes("{\n  \"a\": 1,\n  \"b\" 2\n}")));
        Assert.Equal("expected ':' after a property name, found '2' (byte 19, line 3, column 7)", error.Message);
        Assert.Equal(18, error.ByteOffset);
        Assert.Contains("unexpected end of data", Assert.Throws<JsonScanException>(() => Actual("[1,"u8.ToArray())).Message);
    }

    [Fact]
    public void UnpairedSurrogateEscapesAreErrorsWhenCopied()
    {
        foreach (var text in new[] { "\"\\uD800\"", "\"\\uDC00x\"", "\"\\uD800\\u0041\"" })
        {
            var scanner = new JsonScanner(Encoding.UTF8.GetBytes(text));
            Assert.True(scanner.Read());
            var copy = () => { var s = new JsonScanner(Encoding.UTF8.GetBytes(text)); s.Read(); return s.CopyString(new byte[16]); };
            Assert.Throws<JsonScanException>(() => copy());
        }
    }

    [Fact]
    public void SkipLeavesTheScannerOnTheMatchingEnd()
    {
        var scanner = new JsonScanner("{\"a\":{\"b\":[1,{\"c\":[]}]},\"d\":true}"u8);
        scanner.Read();
        scanner.Read();
        Assert.True(scanner.ValueTextEquals("a"u8));
        scanner.Skip();
        Assert.Equal(JsonTokenType.EndObject, scanner.TokenType);
        Assert.Equal(22, scanner.TokenStartIndex);
        scanner.Read();
        Assert.True(scanner.ValueTextEquals("d"u8));
        scanner.Skip();
        Assert.Equal(JsonTokenType.True, scanner.TokenType);
        scanner.Read();
        Assert.Equal(JsonTokenType.EndObject, scanner.TokenType);
        Assert.False(scanner.Read());
    }

    [Fact]
    public void IntegersParseLikeUtf8JsonReader()
    {
        foreach (var number in new[] { "0", "-1", "2147483647", "2147483648", "-9223372036854775808", "9223372036854775808", "1.0", "1e3" })
        {
            var json = Encoding.UTF8.GetBytes(number);
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var scanner = new JsonScanner(json);
            scanner.Read();
            Assert.Equal(reader.TryGetInt32(out var i32), scanner.TryGetInt32(out var s32));
            Assert.Equal(i32, s32);
            Assert.Equal(reader.TryGetInt64(out var i64), scanner.TryGetInt64(out var s64));
            Assert.Equal(i64, s64);
        }
    }

    /// <summary>Deletions, insertions and replacements of JSON-significant bytes, and truncations, of a real pod.</summary>
    internal static IEnumerable<byte[]> Mutations(int count, int seed)
    {
        var original = Encoding.UTF8.GetBytes(Pod);
        byte[] alphabet = [.. "{}[]:,\"\\ \n\t0123456789-+.eEtrufalsn/bu\u0001"u8, 0xC3, 0xEF, 0xBB, 0xBF, 0xFF, 0x80];
        var random = new Random(seed);
        for (var round = 0; round < count; round++)
        {
            var json = new List<byte>(original);
            var edits = 1 + random.Next(3);
            for (var e = 0; e < edits && json.Count > 0; e++)
            {
                var at = random.Next(json.Count);
                switch (random.Next(4))
                {
                    case 0: json.RemoveAt(at); break;
                    case 1: json.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: json[at] = alphabet[random.Next(alphabet.Length)]; break;
                    default: json.RemoveRange(at, json.Count - at); break;
                }
            }
            yield return json.ToArray();
        }
    }

    /// <summary>The scanner's verdict and tokens must equal Utf8JsonReader's on every mutation.</summary>
    [Fact]
    public void AgreesWithUtf8JsonReaderOnRandomMutations()
    {
        foreach (var json in Mutations(20_000, 20261122)) AssertSameAsUtf8JsonReader(json);
    }

    /// <summary>Skip's fast path (ContainerEnd, state in locals, no tokens recorded) against Read token by token on the
    /// same mutations: where the tokens reach the root object's end, the fast path finds the same end; where they
    /// throw, it gives up (and Skip then throws the tokens' own error).</summary>
    [Fact]
    public void SkipsFastPathEndsExactlyWhereReadingTokenByTokenEnds()
    {
        int ended = 0, rejected = 0;
        foreach (var json in Mutations(20_000, 20261123))
        {
            var scanner = new JsonScanner(json);
            try
            {
                if (!scanner.Read() || scanner.TokenType != JsonTokenType.StartObject) continue;
            }
            catch (JsonScanException)
            {
                continue;
            }
            var fast = scanner.ContainerEnd();
            int tokens;
            try
            {
                scanner.SkipByTokens();
                tokens = scanner.TokenStartIndex;
            }
            catch (JsonScanException)
            {
                tokens = -1;
            }
            Assert.True(fast == tokens, $"fast path {fast}, token by token {tokens}: {Encoding.UTF8.GetString(json)}");
            if (tokens < 0) rejected++; else ended++;
        }
        Assert.True(ended > 1000 && rejected > 1000, $"{ended} mutations skipped to their end, {rejected} rejected: both paths need work");
    }

    [Theory]
    [InlineData("{\"a\":[1,}", "expected a value")]
    [InlineData("{\"a\":{\"b\" 1}}", "expected ':' after a property name")]
    [InlineData("{\"a\":\"x\\q\"}", "invalid escape sequence in a string")]
    [InlineData("{\"a\":1.}", "invalid number: expected a digit after the decimal point")]
    [InlineData("{\"a\":[tru]}", "invalid literal: expected 'true'")]
    [InlineData("{\"a\":[[[", "unexpected end of data")]
    public void SkipOverMalformedJsonThrowsTheTokensOwnError(string text, string problem)
    {
        var json = Encoding.UTF8.GetBytes(text);
        var fromSkip = Assert.Throws<JsonScanException>(() => SkipFrom(json));
        Assert.StartsWith(problem, fromSkip.Message);
        var byTokens = Assert.Throws<JsonScanException>(() => SkipByTokensFrom(json));
        Assert.Equal(byTokens.Message, fromSkip.Message);
    }

    private static void SkipFrom(byte[] json)
    {
        var scanner = new JsonScanner(json);
        scanner.Read();
        scanner.Skip();
    }

    private static void SkipByTokensFrom(byte[] json)
    {
        var scanner = new JsonScanner(json);
        scanner.Read();
        scanner.SkipByTokens();
    }
}
