using System.Runtime.InteropServices;

namespace SecurityOperator.Compression;

/// <summary>The part of libzstd's stable C API (zstd.h, 1.4+) the operator uses. "libzstd" is linked statically into
/// the AOT executable (DirectPInvoke + libzstd.a in Operator.csproj); under the JIT (tests) it resolves to the system
/// libzstd.so (libzstd-dev). Contexts and dictionaries are opaque pointers; results that may be errors are size_t codes
/// tested with <see cref="IsError"/>.</summary>
internal static unsafe partial class ZstdNative
{
    private const string Library = "libzstd";

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial nint CreateCCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial nint CreateDCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDCtx(nint dctx);

    // Both copy the dictionary's bytes: the caller's buffer may go once they return.
    [LibraryImport(Library, EntryPoint = "ZSTD_createCDict")]
    internal static partial nint CreateCDict(byte* dictionary, nuint size, int level);

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCDict")]
    internal static partial nuint FreeCDict(nint cdict);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDDict")]
    internal static partial nint CreateDDict(byte* dictionary, nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDDict")]
    internal static partial nuint FreeDDict(nint ddict);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressBound")]
    internal static partial nuint CompressBound(nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressCCtx")]
    internal static partial nuint CompressCCtx(nint cctx, byte* destination, nuint capacity, byte* source, nuint size, int level);

    [LibraryImport(Library, EntryPoint = "ZSTD_compress_usingCDict")]
    internal static partial nuint CompressUsingCDict(nint cctx, byte* destination, nuint capacity, byte* source, nuint size, nint cdict);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressDCtx")]
    internal static partial nuint DecompressDCtx(nint dctx, byte* destination, nuint capacity, byte* source, nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompress_usingDDict")]
    internal static partial nuint DecompressUsingDDict(nint dctx, byte* destination, nuint capacity, byte* source, nuint size, nint ddict);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    internal static partial byte* GetErrorName(nuint code);
}
