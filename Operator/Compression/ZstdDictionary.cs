namespace SecurityOperator.Compression;

/// <summary>A raw-content zstd dictionary (plain sample bytes, no trained header), prepared once for compression and
/// once for decompression so each object pays neither. Small similar objects, as a cluster's pods are, compress to a
/// fraction of their size against a few of their siblings: the repeated field names, images and volumes become
/// references into the dictionary. Lives as long as anything compressed with it.</summary>
internal sealed unsafe class ZstdDictionary : IDisposable
{
    private nint _compress;
    private nint _decompress;

    public ZstdDictionary(ReadOnlySpan<byte> content, int level = ZstdCodec.DefaultLevel)
    {
        if (content.IsEmpty) throw new ArgumentException("a zstd dictionary needs content", nameof(content));
        fixed (byte* bytes = content)
        {
            _compress = ZstdNative.CreateCDict(bytes, (nuint)content.Length, level);
            _decompress = ZstdNative.CreateDDict(bytes, (nuint)content.Length);
        }
        if (_compress == 0 || _decompress == 0)
        {
            Dispose();
            throw new InvalidOperationException($"zstd could not prepare a dictionary of {content.Length} bytes (out of memory)");
        }
        Size = content.Length;
    }

    public int Size { get; }

    internal nint ForCompression => _compress != 0 ? _compress : throw new ObjectDisposedException(nameof(ZstdDictionary));

    internal nint ForDecompression => _decompress != 0 ? _decompress : throw new ObjectDisposedException(nameof(ZstdDictionary));

    public void Dispose()
    {
        if (_compress != 0) ZstdNative.FreeCDict(_compress);
        if (_decompress != 0) ZstdNative.FreeDDict(_decompress);
        _compress = _decompress = 0;
    }
}
