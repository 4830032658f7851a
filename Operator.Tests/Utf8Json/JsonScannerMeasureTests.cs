using System.Text;
using System.Text.Json;
using SecurityOperator.Tests.Admission;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Tests.Utf8Json;

/// <summary>JsonScanner.MeasureValue, which the AdmissionReview envelope uses to step over request.object: every answer
/// is the one Utf8JsonReader.Skip() gives.</summary>
public class JsonScannerMeasureTests
{
    private static byte[] RealObject(string file, int call) =>
        Encoding.UTF8.GetBytes(AdmissionTranscripts.Call(file, call).Review["request"]!["object"]!.ToJsonString());

    /// <summary>What Utf8JsonReader.Skip() makes of the value at the start of <paramref name="json"/>: its length, or -1
    /// when the reader rejects it.</summary>
    private static int ReaderLength(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) return -1;
            reader.Skip();
            return (int)reader.BytesConsumed;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    [Theory]
    [InlineData("adm-01", 2)]
    [InlineData("adm-02", 2)]
    [InlineData("adm-03", 2)]
    [InlineData("adm-06", 2)]
    [InlineData("adm-06", 3)]
    public void RealObjectsAreMeasuredExactly(string file, int call)
    {
        var json = RealObject(file, call);
        var withTail = json.Concat(",\"oldObject\":null}}"u8.ToArray()).ToArray();
        Assert.Equal(json.Length, JsonScanner.MeasureValue(withTail, 63));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData(" {\"a\" : [ ] , \"b\":{ }}\r\n")]
    [InlineData("{\"n\":[0,-0,1.5,-2e10,3E+2,4.25e-3,12345678901234567890]}")]
    [InlineData("{\"s\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00 ü 日本\",\"t\":true,\"f\":false,\"z\":null}")]
    [InlineData("{\"a\":[[[[{\"b\":[{}]}]]]]}")]
    [InlineData("[1]")]
    [InlineData("\"a\"")]
    public void WellFormedValuesAreMeasuredAsTheReaderDoes(string text)
    {
        var json = Encoding.UTF8.GetBytes(text.TrimStart());
        Assert.Equal(ReaderLength(json), JsonScanner.MeasureValue(json, 63));
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":[1,]}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":.5}")]
    [InlineData("{\"a\":1e}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":nulls}")]
    [InlineData("{\"a\":\"x\\q\"}")]
    [InlineData("{\"a\":\"x\\u12g4\"}")]
    [InlineData("{\"a\":\"tab\there\"}")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\":1 /* c */}")]
    [InlineData("{\"a\":[1}")]
    [InlineData("{\"a\":{]}")]
    [InlineData("{\"a\":1")]
    [InlineData("")]
    public void MalformedObjectsAreLeftToTheReader(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        Assert.Equal(-1, JsonScanner.MeasureValue(json, 63));
        Assert.Equal(-1, ReaderLength(json));
    }

    /// <summary>Like Utf8JsonReader's Read and Skip, the scanner does not check that strings are valid UTF-8 (the
    /// evaluator checks what it decodes).</summary>
    [Fact]
    public void InvalidUtf8IsAcceptedAsTheReaderAcceptsIt()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal(json.Length, ReaderLength(json));
        Assert.Equal(json.Length, JsonScanner.MeasureValue(json, 63));
    }

    [Fact]
    public void NestingDeeperThanAllowedIsLeftToTheReader()
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 9) + new string(']', 9) + "}");
        Assert.Equal(json.Length, JsonScanner.MeasureValue(json, 10));
        Assert.Equal(-1, JsonScanner.MeasureValue(json, 9));
    }

    /// <summary>The contract the admission path relies on: the scanner measures exactly what Utf8JsonReader accepts, with
    /// the same length, and rejects the rest. Mutations of real objects: byte flips, truncations, inserted JSON fragments
    /// and escapes.</summary>
    [Fact]
    public void EveryMeasureOfAMutatedObjectAgreesWithTheReader()
    {
        string[] fragments = ["\\", "\\u", "\\u00e9", "\"", ",", ":", "{", "}", "[", "]", "-", "0", "1e5", ".", "e", "true", "nul", " ", "\t", "\u0001", "é", "/"];
        var objects = new[] { RealObject("adm-01", 2), RealObject("adm-02", 2), RealObject("adm-06", 2) };
        var random = new Random(4);
        var measured = 0;
        for (var n = 0; n < 6000; n++)
        {
            var json = (byte[])objects[n % objects.Length].Clone();
            switch (n % 3)
            {
                case 0:
                    for (var k = random.Next(1, 4); k > 0; k--) json[random.Next(1, json.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    json = json[..random.Next(1, json.Length + 1)];
                    break;
                default:
                    var text = Encoding.UTF8.GetString(json);
                    text = text.Insert(random.Next(1, text.Length), fragments[random.Next(fragments.Length)]);
                    json = Encoding.UTF8.GetBytes(text);
                    break;
            }
            var length = JsonScanner.MeasureValue(json, 63);
            Assert.Equal(ReaderLength(json), length);
            if (length > 0) measured++;
        }
        // Many mutations (inside string values) leave valid JSON: the comparison above must have had work to do.
        Assert.True(measured > 500, $"only {measured} mutated objects were measured");
    }
}
