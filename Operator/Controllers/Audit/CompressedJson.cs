using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace SecurityOperator.Controllers.Audit;

/// <summary>The evaluator's JSON of a cached object, Brotli-compressed: the JSON kept for 12,900 objects was 44.5 MB,
/// the largest part of the controller's live heap at 10,000 pods; at quality 1 it is 18.3 MB and costs ~25 us per
/// object to compress when the object arrives (measured on the scale benchmark's objects). Layout: the JSON's length
/// (4 bytes, little endian), then the Brotli stream. The bytes come back exactly as they went in.</summary>
internal static class CompressedJson
{
    // Quality 1 (of 0-11): quality 4 saved another 1.6 MB for five times the CPU; window 2^22 is Brotli's default.
    private const int Quality = 1;
    private const int Window = 22;

    public static byte[] Compress(ReadOnlySpan<byte> json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(json.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(json, rented, out var written, Quality, Window))
                throw new InvalidOperationException($"could not compress {json.Length} bytes of JSON for the audit cache");
            var result = new byte[sizeof(int) + written];
            BinaryPrimitives.WriteInt32LittleEndian(result, json.Length);
            rented.AsSpan(0, written).CopyTo(result.AsSpan(sizeof(int)));
            return result;
        }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>The JSON, written into <paramref name="buffer"/> (cleared first).</summary>
    public static ReadOnlySpan<byte> Decompress(byte[] compressed, ArrayBufferWriter<byte> buffer)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(compressed);
        buffer.ResetWrittenCount();
        var target = buffer.GetSpan(length)[..length];
        if (!BrotliDecoder.TryDecompress(compressed.AsSpan(sizeof(int)), target, out var written) || written != length)
            throw new InvalidOperationException($"the audit cache's compressed JSON did not decompress to its {length} bytes");
        buffer.Advance(written);
        return buffer.WrittenSpan;
    }
}
