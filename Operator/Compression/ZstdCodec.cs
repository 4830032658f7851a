using System.Runtime.InteropServices;

namespace SecurityOperator.Compression;

/// <summary>One-shot zstd compression and decompression of whole buffers, with or without a <see cref="ZstdDictionary"/>.
/// The process keeps one compression and one decompression context (~110 and ~96 KB of native memory, measured with
/// ZSTD_sizeof_*), each reused under its own lock: calls take microseconds, so sharing costs less than a context per
/// thread would.</summary>
internal static unsafe class ZstdCodec
{
    /// <summary>Level 1, not zstd's default 3: on a pod against a dictionary of other pods level 3 saved one byte in 277,
    /// and its prepared dictionary takes 440 KB of native memory against 80 KB (ZSTD_sizeof_CDict, 32 KB of content).</summary>
    public const int DefaultLevel = 1;

    private static readonly Lock CompressGate = new();
    private static readonly Lock DecompressGate = new();
    private static nint s_compress;
    private static nint s_decompress;

    /// <summary>The most bytes compressing <paramref name="size"/> bytes can produce.</summary>
    public static int CompressBound(int size) => checked((int)ZstdNative.CompressBound((nuint)size));

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (at least
    /// <see cref="CompressBound"/> long) as one zstd frame; the number of bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, ZstdDictionary? dictionary, int level = DefaultLevel)
    {
        nuint written;
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            lock (CompressGate)
            {
                var context = s_compress != 0 ? s_compress : s_compress = Created(ZstdNative.CreateCCtx(), "compression");
                written = dictionary is null
                    ? ZstdNative.CompressCCtx(context, to, (nuint)destination.Length, from, (nuint)source.Length, level)
                    : ZstdNative.CompressUsingCDict(context, to, (nuint)destination.Length, from, (nuint)source.Length, dictionary.ForCompression);
            }
        }
        return ZstdNative.IsError(written) != 0
            ? throw new InvalidOperationException($"zstd could not compress {source.Length} bytes: {ErrorName(written)}")
            : (int)written;
    }

    /// <summary>Decompresses the one frame in <paramref name="source"/> into <paramref name="destination"/>, with the
    /// dictionary it was compressed with; the number of bytes written. Damaged or truncated input, a wrong dictionary or
    /// a destination too small is an <see cref="InvalidOperationException"/> naming zstd's reason.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination, ZstdDictionary? dictionary)
    {
        nuint written;
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            lock (DecompressGate)
            {
                var context = s_decompress != 0 ? s_decompress : s_decompress = Created(ZstdNative.CreateDCtx(), "decompression");
                written = dictionary is null
                    ? ZstdNative.DecompressDCtx(context, to, (nuint)destination.Length, from, (nuint)source.Length)
                    : ZstdNative.DecompressUsingDDict(context, to, (nuint)destination.Length, from, (nuint)source.Length, dictionary.ForDecompression);
            }
        }
        return ZstdNative.IsError(written) != 0
            ? throw new InvalidOperationException($"zstd could not decompress {source.Length} bytes: {ErrorName(written)}")
            : (int)written;
    }

    private static nint Created(nint context, string what) =>
        context != 0 ? context : throw new InvalidOperationException($"zstd could not create a {what} context (out of memory)");

    private static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)ZstdNative.GetErrorName(code)) ?? $"error {code}";
}
