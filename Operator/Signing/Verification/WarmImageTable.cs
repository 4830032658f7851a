using System.Collections.Concurrent;

namespace SecurityOperator.Signing.Verification;

/// <summary>The verifier's shortcut for warm requests: per image reference as written (its UTF-8 bytes, looked up by
/// span: no parsing, no string), the results last served for it per key set, each with the instant it stops being
/// what the caches would answer (the earlier of the tag resolution's and the verification result's expiry) and the
/// caches' version it was copied at. Reads take no lock; writers (the verification path) copy on write.</summary>
internal sealed class WarmImageTable
{
    // 16: our choice, far more key sets than policies put on one image; when exceeded, the image starts over.
    internal const int MaxKeySetsPerImage = 16;

    private readonly ConcurrentDictionary<byte[], WarmResult[]> _images = new(Utf8BytesComparer.Instance);
    private readonly ConcurrentDictionary<byte[], WarmResult[]>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly object _writing = new();

    private readonly int _capacity;

    public WarmImageTable(int capacity)
    {
        _capacity = capacity;
        _bySpan = _images.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _images.Count;

    /// <summary>The result for <paramref name="image"/> and <paramref name="keys"/> when one was kept, is unexpired at
    /// <paramref name="now"/>, and was copied at <paramref name="version"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> image, VerificationKeySet keys, long now, long version, out WarmResult result)
    {
        result = null!;
        if (!_bySpan.TryGetValue(image, out var results)) return false;
        foreach (var candidate in results)
        {
            if (!ReferenceEquals(candidate.Keys, keys) && candidate.Keys.Id != keys.Id) continue;
            if (candidate.Expires <= now || candidate.Version != version) return false;
            result = candidate;
            return true;
        }
        return false;
    }

    /// <summary>Keeps <paramref name="result"/> for <paramref name="image"/>, replacing the one of the same key set.
    /// Bounded: when <paramref name="image"/> is new and the table full, expired or outdated images go first, and if
    /// none did, everything (the next requests refill it through the verification path).</summary>
    public void Set(byte[] image, WarmResult result, long now, long version)
    {
        lock (_writing)
        {
            if (!_images.TryGetValue(image, out var results))
            {
                if (_images.Count >= _capacity) MakeRoom(now, version);
                _images[image] = [result];
                return;
            }
            var same = Array.FindIndex(results, r => r.Keys.Id == result.Keys.Id);
            WarmResult[] updated;
            if (same >= 0)
            {
                updated = (WarmResult[])results.Clone();
                updated[same] = result;
            }
            else updated = results.Length >= MaxKeySetsPerImage ? [result] : [.. results, result];
            _images[image] = updated;
        }
    }

    private void MakeRoom(long now, long version)
    {
        foreach (var (image, results) in _images)
            if (Array.TrueForAll(results, r => r.Expires <= now || r.Version != version)) _images.TryRemove(image, out _);
        if (_images.Count >= _capacity) _images.Clear();
    }
}

/// <summary>A result served for one image and key set: the key set it was for, the outcome naming the image as
/// written, and until when (timestamp) and for which cache version it stands.</summary>
internal sealed record WarmResult(VerificationKeySet Keys, Policy.Conditions.ImageSignatureOutcome Outcome, long Expires, long Version);

/// <summary>Byte arrays compared by content, looked up by span; the hash is the runtime's per-process randomised
/// one, so image names a client chooses cannot be made to collide.</summary>
internal sealed class Utf8BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly Utf8BytesComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));
    public int GetHashCode(byte[] value) => GetHashCode((ReadOnlySpan<byte>)value);
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
