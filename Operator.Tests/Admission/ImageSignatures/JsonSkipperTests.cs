using System.Text;
using System.Text.Json;
using SecurityOperator.Admission.ImageSignatures;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>The skipper finds where every object and array ends exactly where Utf8JsonReader.Skip does, escapes and
/// brackets inside strings included, wherever they fall relative to its 16-byte blocks; and refuses what is broken.</summary>
public class JsonSkipperTests
{
    /// <summary>Every container of <paramref name="json"/>: where it starts and where Utf8JsonReader says it ends.</summary>
    private static IEnumerable<(int Start, int End)> Containers(byte[] json)
    {
        var starts = new List<int>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) starts.Add((int)reader.TokenStartIndex);
        foreach (var start in starts)
        {
            var skipping = new Utf8JsonReader(json.AsSpan(start));
            skipping.Read();
            skipping.Skip();
            yield return (start, start + (int)skipping.BytesConsumed);
        }
    }

    private static void AssertSkipsAsTheReader(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        foreach (var (start, end) in Containers(json))
            Assert.Equal(end, JsonSkipper.SkipContainer(json, start, JsonSkipper.MaxDepth));
    }

    [Fact]
    public void Ends_containers_where_the_reader_does_in_recorded_reviews()
    {
        foreach (var file in new[] { "adm-01", "adm-02", "adm-03", "adm-06" })
            AssertSkipsAsTheReader(Encoding.UTF8.GetString(AdmissionTranscripts.Call(file, 2).Body));
    }

    [Fact]
    public void Escapes_and_brackets_in_strings_at_every_offset_of_a_block()
    {
        string[] tricky = ["\\\"", "\\\\", "{", "}", "[", "]", "\\\\\\\"", "\\u005c", "x"];
        for (var pad = 0; pad < 20; pad++)
            foreach (var a in tricky)
                foreach (var b in tricky)
                {
                    var filler = new string('p', pad);
                    AssertSkipsAsTheReader("{\"" + filler + "\":\"" + a + b + "\",\"k" + a + "\":[{\"v\":\"" + b + "]}\"},[]],\"z\":{\"" + filler + b + "\":null}}");
                }
    }

    [Fact]
    public void Random_documents_end_where_the_reader_ends_them()
    {
        var random = new Random(7);
        for (var n = 0; n < 300; n++)
        {
            var builder = new StringBuilder();
            Value(builder, random, 0);
            AssertSkipsAsTheReader(builder.ToString());
        }
    }

    private static void Value(StringBuilder text, Random random, int depth)
    {
        switch (depth > 6 ? random.Next(3) : random.Next(5))
        {
            case 0: text.Append('"').Append(new[] { "a", "\\\"", "\\\\", "{[", "]}", "é", "\\n" }[random.Next(7)]).Append('"'); break;
            case 1: text.Append(random.Next(1000)); break;
            case 2: text.Append(random.Next(2) == 0 ? "null" : "true"); break;
            case 3:
                text.Append('{');
                for (var i = random.Next(4); i > 0; i--)
                {
                    text.Append("\"k").Append(i).Append(random.Next(2) == 0 ? "\\\"" : "").Append("\":");
                    Value(text, random, depth + 1);
                    if (i > 1) text.Append(',');
                }
                text.Append('}');
                break;
            default:
                text.Append('[');
                for (var i = random.Next(4); i > 0; i--)
                {
                    Value(text, random, depth + 1);
                    if (i > 1) text.Append(", ");
                }
                text.Append(']');
                break;
        }
    }

    [Theory]
    [InlineData("{\"a\":[1,2}")]
    [InlineData("[{\"a\":1]]")]
    [InlineData("{\"a\":\"never closed}")]
    [InlineData("{\"a\":{\"b\":{}}")]
    public void Refuses_unterminated_or_mismatched_containers(string text) =>
        Assert.Equal(-1, JsonSkipper.SkipContainer(Encoding.UTF8.GetBytes(text), 0, JsonSkipper.MaxDepth));

    [Fact]
    public void Refuses_nesting_beyond_its_budget()
    {
        var json = Encoding.UTF8.GetBytes(new string('[', 10) + new string(']', 10));
        Assert.Equal(20, JsonSkipper.SkipContainer(json, 0, 10));
        Assert.Equal(-1, JsonSkipper.SkipContainer(json, 0, 9));
    }
}
