using System.Buffers;
using System.Buffers.Binary;
using SecurityOperator.Compression;

namespace SecurityOperator.Controllers.Audit;

/// <summary>Keeps the evaluator's JSON of one kind's cached objects zstd-compressed against a dictionary sampled from
/// that kind's own first objects. A cluster's objects of one kind repeat each other (replicas of one template differ
/// in names, uids and addresses; different apps share the field names, volumes, probes and tolerations Kubernetes
/// fills in), and each object alone is too small for a compressor to learn that: on the scale benchmark's 12,900
/// objects Brotli per object kept 18.7 MB, zstd with the dictionary 2.2 MB (docs/controller.md, Scale).
///
/// Sampling: the first objects are compressed without a dictionary while their JSON is collected, one object per
/// owner (replicas of a ReplicaSet would teach it the same thing ten times), until three quarters of
/// <see cref="DictionaryBytes"/> are collected or <see cref="SampleWindow"/> objects have been seen. Then the samples become the dictionary, fixed for
/// the life of the process, so every compressed object can always be read back. Layout of each result: the JSON's
/// length (4 bytes, little endian), whether the dictionary was used (1 byte), then one zstd frame.</summary>
internal sealed class CachedJsonCompressor
{
    /// <summary>The dictionary's size: room for several objects of different owners (six of the benchmark's ~4.9 KB pods).
    /// Twice as much compressed a pod of another app to the same size (276 against 277 bytes, zstd's C library here).</summary>
    public const int DictionaryBytes = 32 * 1024;

    /// <summary>Objects seen before the dictionary is made even if it is not full: a kind of few distinct objects should
    /// not go on uncompressed-against-anything for long.</summary>
    public const int SampleWindow = 256;

    private const int HeaderBytes = sizeof(int) + 1;
    private const byte Plain = 0;
    private const byte WithDictionary = 1;

    private readonly Lock _gate = new();
    private readonly int _dictionaryBytes;
    private readonly int _sampleWindow;
    private ArrayBufferWriter<byte>? _samples = new();
    private HashSet<string>? _sampledOwners = new(StringComparer.Ordinal);
    private int _seen;
    // Written once, under the lock; read without it by every call after that.
    private volatile ZstdDictionary? _dictionary;

    public CachedJsonCompressor() : this(DictionaryBytes, SampleWindow)
    {
    }

    internal CachedJsonCompressor(int dictionaryBytes, int sampleWindow)
    {
        _dictionaryBytes = dictionaryBytes;
        _sampleWindow = sampleWindow;
    }

    /// <summary>The dictionary's size once it is made, else 0.</summary>
    public int DictionarySize => _dictionary?.Size ?? 0;

    /// <summary>Compresses <paramref name="json"/>; <paramref name="owner"/> says which objects are replicas of each other
    /// (the uid of the owning controller, or the object's own uid when it has none).</summary>
    public byte[] Compress(ReadOnlySpan<byte> json, string? owner)
    {
        var dictionary = _dictionary ?? Sample(json, owner);
        var rented = ArrayPool<byte>.Shared.Rent(HeaderBytes + ZstdCodec.CompressBound(json.Length));
        try
        {
            var written = ZstdCodec.Compress(json, rented.AsSpan(HeaderBytes), dictionary);
            BinaryPrimitives.WriteInt32LittleEndian(rented, json.Length);
            rented[sizeof(int)] = dictionary is null ? Plain : WithDictionary;
            return rented.AsSpan(0, HeaderBytes + written).ToArray();
        }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>The JSON, written into <paramref name="buffer"/> (cleared first).</summary>
    public ReadOnlySpan<byte> Decompress(byte[] compressed, ArrayBufferWriter<byte> buffer)
    {
        if (compressed.Length < HeaderBytes || compressed[sizeof(int)] is not (Plain or WithDictionary))
            throw new InvalidOperationException($"the audit cache's compressed JSON ({compressed.Length} bytes) has no valid header");
        var length = BinaryPrimitives.ReadInt32LittleEndian(compressed);
        var dictionary = compressed[sizeof(int)] == Plain ? null
            : _dictionary ?? throw new InvalidOperationException("the audit cache's compressed JSON needs a dictionary this cache never made");
        buffer.ResetWrittenCount();
        int written;
        try
        {
            written = ZstdCodec.Decompress(compressed.AsSpan(HeaderBytes), buffer.GetSpan(length)[..length], dictionary);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"the audit cache's compressed JSON did not decompress to its {length} bytes: {e.Message}", e);
        }
        if (written != length) throw new InvalidOperationException($"the audit cache's compressed JSON decompressed to {written} bytes, not its {length}");
        buffer.Advance(written);
        return buffer.WrittenSpan;
    }

    // Collects a sample; makes the dictionary once enough are in. Returns the dictionary when this call made it.
    private ZstdDictionary? Sample(ReadOnlySpan<byte> json, string? owner)
    {
        lock (_gate)
        {
            if (_dictionary is not null || _samples is null) return _dictionary;
            _seen++;
            if (json.Length <= _dictionaryBytes - _samples.WrittenCount && (owner is null || _sampledOwners!.Add(owner)))
                _samples.Write(json);
            // Three quarters full is full enough: typical objects would no longer fit, and one large object must not end
            // the sampling early.
            if (_samples.WrittenCount < _dictionaryBytes / 4 * 3 && _seen < _sampleWindow) return null;
            if (_samples.WrittenCount > 0) _dictionary = new ZstdDictionary(_samples.WrittenSpan);
            _samples = null;
            _sampledOwners = null;
            return _dictionary;
        }
    }
}
