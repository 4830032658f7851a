using System.Text;
using SecurityOperator.Compression;

namespace SecurityOperator.Tests.Compression;

public class ZstdCodecTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"{{\"name\":\"item-{i}\",\"value\":\"{i % 9}\"}},")));

    private static byte[] Compressed(ReadOnlySpan<byte> source, ZstdDictionary? dictionary)
    {
        var destination = new byte[ZstdCodec.CompressBound(source.Length)];
        return destination[..ZstdCodec.Compress(source, destination, dictionary)];
    }

    [Fact]
    public void Round_trips_with_and_without_a_dictionary()
    {
        using var dictionary = new ZstdDictionary(Text.AsSpan(0, 2000));
        foreach (var d in new[] { null, dictionary })
        {
            var compressed = Compressed(Text, d);
            var back = new byte[Text.Length];

            Assert.Equal(Text.Length, ZstdCodec.Decompress(compressed, back, d));
            Assert.Equal(Text, back);
        }
    }

    [Fact]
    public void Empty_input_round_trips()
    {
        var compressed = Compressed([], null);

        Assert.Equal(0, ZstdCodec.Decompress(compressed, [], null));
    }

    [Fact]
    public void A_dictionary_that_holds_the_input_shrinks_it_to_a_few_bytes()
    {
        // Uids: hardly compressible on their own.
        var sample = Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 80).Select(_ => Guid.NewGuid().ToString())));
        using var dictionary = new ZstdDictionary(sample);

        Assert.True(Compressed(sample, dictionary).Length < Compressed(sample, null).Length / 10);
    }

    [Fact]
    public void Reading_without_the_dictionary_it_was_written_with_is_an_error_naming_zstds_reason()
    {
        using var dictionary = new ZstdDictionary(Text.AsSpan(0, 3000));
        var compressed = Compressed(Text.AsSpan(0, 3000), dictionary);

        var error = Assert.Throws<InvalidOperationException>(() => ZstdCodec.Decompress(compressed, new byte[3000], null));
        Assert.StartsWith("zstd could not decompress", error.Message);
    }

    [Fact]
    public void A_destination_too_small_is_an_error_not_an_overrun()
    {
        var compressed = Compressed(Text, null);

        var error = Assert.Throws<InvalidOperationException>(() => ZstdCodec.Decompress(compressed, new byte[Text.Length - 1], null));
        Assert.Contains("zstd could not decompress", error.Message);
    }

    [Fact]
    public void Garbage_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => ZstdCodec.Decompress("not a zstd frame"u8, new byte[100], null));
    }

    [Fact]
    public void A_disposed_dictionary_is_refused()
    {
        var dictionary = new ZstdDictionary(Text.AsSpan(0, 100));
        dictionary.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Compressed(Text, dictionary));
        Assert.Throws<ArgumentException>(() => new ZstdDictionary([]));
    }
}
