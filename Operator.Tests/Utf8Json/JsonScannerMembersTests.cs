using System.Text;
using System.Text.Json;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Tests.Utf8Json;

/// <summary>ReadNextProperty must be exactly Read followed by a test for PropertyName, and ReadStringValue exactly Read
/// followed by a test for String, in every state (their fast paths in the states a member walk stands in, Read's path
/// in all others): two scanners step in lockstep over the same input, one with Read, one with the shortcut, and must
/// agree on every result, token and error.</summary>
public class JsonScannerMembersTests
{
    private readonly record struct State(JsonTokenType Type, string Value, bool Escaped, int Depth, int Start, int Consumed);

    private static State Of(in JsonScanner scanner) => new(scanner.TokenType, Convert.ToHexString(scanner.ValueSpan),
        scanner.ValueIsEscaped, scanner.CurrentDepth, scanner.TokenStartIndex, scanner.BytesConsumed);

    /// <summary>Steps both scanners until the input ends or both throw; <paramref name="useNext"/> picks, per step, which
    /// steps go through the shortcut (the other scanner always reads). The number of steps taken.</summary>
    private static int AssertLockstep(byte[] json, Func<int, bool> useNext, Shortcut shortcut = Shortcut.NextProperty)
    {
        var expected = shortcut == Shortcut.NextProperty ? JsonTokenType.PropertyName : JsonTokenType.String;
        var byRead = new JsonScanner(json);
        var byNext = new JsonScanner(json);
        for (var step = 0; ; step++)
        {
            bool more = false, read, next;
            string? readError = null, nextError = null;
            try { more = byRead.Read(); read = more && byRead.TokenType == expected; }
            catch (JsonScanException e) { read = false; readError = e.Message; }
            var viaNext = useNext(step);
            try
            {
                next = !viaNext ? byNext.Read() && byNext.TokenType == expected
                    : shortcut == Shortcut.NextProperty ? byNext.ReadNextProperty() : byNext.ReadStringValue();
            }
            catch (JsonScanException e) { next = false; nextError = e.Message; }
            var text = Encoding.UTF8.GetString(json);
            Assert.True(readError == nextError, $"step {step}: Read threw '{readError}', {shortcut} threw '{nextError}': {text}");
            if (readError is not null) return step;
            Assert.True(read == next, $"step {step}: Read gave {read}, {shortcut} {next}: {text}");
            Assert.Equal(Of(byRead), Of(byNext));
            if (!more) return step;
        }
    }

    public enum Shortcut { NextProperty, StringValue }

    [Theory]
    [InlineData("""{"a":1,"b":"x","c":{},"d":[],"e":{"f":[1,{"g":null}]},"h":true}""")]
    [InlineData("""{ "a" : 1 , "b" : { } , "c" : [ ] }""")]
    [InlineData("{\n \"a\":1,\n \"b\":\"\\u00e9\\n\",\n \"c\\\"\":{\"d\":false}\n}")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":1,"b""")]
    [InlineData("""{"a":1,"b":}""")]
    [InlineData("""{"a":1 "b":2}""")]
    [InlineData("""{"a":[1,2}""")]
    [InlineData("""{"a":1}}""")]
    [InlineData("""{"a":1},""")]
    [InlineData("""{"a":{"b":1],"c":2}""")]
    [InlineData("""{"a":"x\q"}""")]
    [InlineData("""{"a":1,""")]
    [InlineData("""{""")]
    [InlineData("""{,"a":1}""")]
    [InlineData("""[{"a":1},{"b":2},3]""")]
    [InlineData("""[1,"a",{}]""")]
    [InlineData("""{}""")]
    [InlineData("""1""")]
    [InlineData("""  """)]
    [InlineData("{\"a\":1} ")]
    [InlineData("{\"a\":\"x\\ny\"}")]
    [InlineData("{\"a\":\"x\",\"b\": \"y\",\"c\":\"z\\u0041\",\"d\":[\"e\"],\"f\":\"\u0001\"}")]
    [InlineData("{\"a\":\"x")]
    [InlineData("{\"a\":")]
    public void AgreesWithReadInEveryState(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        foreach (var shortcut in Enum.GetValues<Shortcut>())
        {
            AssertLockstep(json, _ => true, shortcut);
            AssertLockstep(json, step => step % 2 == 0, shortcut);
            AssertLockstep(json, step => step % 2 == 1, shortcut);
        }
    }

    /// <summary>On random mutations of a real pod, calling the shortcut for every step, for every other step, and for
    /// two steps in three.</summary>
    [Fact]
    public void AgreesWithReadOnRandomMutations()
    {
        var steps = 0;
        foreach (var json in JsonScannerTests.Mutations(10_000, 20261124))
        {
            foreach (var shortcut in Enum.GetValues<Shortcut>())
            {
                steps += AssertLockstep(json, _ => true, shortcut);
                steps += AssertLockstep(json, step => step % 2 == 0, shortcut);
                steps += AssertLockstep(json, step => step % 3 != 1, shortcut);
            }
        }
        Assert.True(steps > 200_000, $"only {steps} steps compared");
    }
}
