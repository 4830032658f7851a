using System.Buffers;
using System.Text;
using SecurityOperator.Controllers.Audit;

namespace SecurityOperator.Tests.Controllers.Audit;

public class CompressedJsonTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4f8b9c6-x2v9q","namespace":"team-a","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"registry.company.com/web:1.4.2","securityContext":{"privileged":true}},
                               {"name":"log-shipper","image":"registry.company.com/fluent-bit:2.2.0","securityContext":{"runAsNonRoot":true}}]}}
        """;

    [Theory]
    [InlineData(Pod)]
    [InlineData("{}")]
    [InlineData("{\"name\":\"caf\\u00e9 \u2603\"}")]
    public void Gives_back_exactly_the_bytes_it_was_given(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var back = CompressedJson.Decompress(CompressedJson.Compress(bytes), new ArrayBufferWriter<byte>(16));

        Assert.Equal(bytes, back.ToArray());
    }

    [Fact]
    public void A_large_object_round_trips_and_repetitive_JSON_takes_less_room()
    {
        var env = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"name\":\"VAR_{i}\",\"value\":\"value-{i % 7}\"}}"));
        var bytes = Encoding.UTF8.GetBytes($"{{\"spec\":{{\"containers\":[{{\"name\":\"app\",\"env\":[{env}]}}]}}}}");

        var compressed = CompressedJson.Compress(bytes);
        var back = CompressedJson.Decompress(compressed, new ArrayBufferWriter<byte>());

        Assert.True(bytes.Length > 100_000);
        Assert.True(compressed.Length < bytes.Length / 4, $"{compressed.Length} of {bytes.Length} bytes");
        Assert.Equal(bytes, back.ToArray());
    }

    [Fact]
    public void A_reused_buffer_holds_only_the_last_object()
    {
        var buffer = new ArrayBufferWriter<byte>();
        CompressedJson.Decompress(CompressedJson.Compress(Encoding.UTF8.GetBytes(Pod)), buffer);

        var second = CompressedJson.Decompress(CompressedJson.Compress("{\"a\":1}"u8), buffer);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void Truncated_bytes_are_an_error_that_says_what_failed()
    {
        var compressed = CompressedJson.Compress(Encoding.UTF8.GetBytes(Pod))[..^8];

        var error = Assert.Throws<InvalidOperationException>(() => CompressedJson.Decompress(compressed, new ArrayBufferWriter<byte>()));
        Assert.Contains("compressed JSON", error.Message);
    }
}
