using SecurityOperator.Registry;

namespace SecurityOperator.Policy.Conditions;

/// <summary>The outcome of verifying one image for one imageSignature condition: the digest it resolved to, how many
/// distinct attestor keys signed that digest, and why not when it fell short (or the registry error).
/// <see cref="Unavailable"/>: set when the error is the registry not answering (unreachable, timeout, 5xx, 429), in a
/// few words that fit an admission warning ("registry unreachable"); <c>failurePolicy: ignore</c> lets those through
/// with a warning. A verification that ran and failed never is.</summary>
public sealed record ImageSignatureOutcome(string Image, OciDigest? Digest, int ValidKeys, string? Problem, string? Error, string? Unavailable = null)
{
    public bool Satisfies(int required) => Error is null && Digest is not null && ValidKeys >= required;
}

/// <summary>The signature outcomes of one admission request, computed asynchronously before the synchronous evaluation
/// and published to it for the duration of that call on the evaluating thread (<see cref="Enter"/>): the evaluator's
/// hot path stays synchronous and span-based, and requests without imageSignature rules see null.</summary>
public sealed class ImageSignatureOutcomes
{
    [ThreadStatic] private static ImageSignatureOutcomes? _current;

    // Images as written, UTF-8, back to back in one reused buffer: a per-thread instance (see Clear) then holds a
    // warm request's outcomes without allocating.
    private readonly List<(ImageSignatureCondition Condition, int Start, int Length, ImageSignatureOutcome Outcome)> _entries = new();
    private byte[] _images = new byte[256];
    private int _used;

    public static ImageSignatureOutcomes? Current => _current;

    public int Count => _entries.Count;

    /// <summary>Where <see cref="Resolve"/> looks up outcomes not yet held: the verification caches, so that a warm
    /// request is decided in the evaluation's own pass over the pod. Null: only what was added counts.</summary>
    public ICachedImageSignatures? Cache { get; set; }

    /// <summary>Set when <see cref="Resolve"/> needed an outcome that <see cref="Cache"/> does not hold: the evaluation
    /// then decided without it, and its answer must be replaced by one made after verifying.</summary>
    public bool Missed { get; private set; }

    public void Add(ImageSignatureCondition condition, string image, ImageSignatureOutcome outcome)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(image);
        System.Text.Encoding.UTF8.GetBytes(image, Reserve(length));
        _entries.Add((condition, _used, length, outcome));
        _used += length;
    }

    public void Add(ImageSignatureCondition condition, ReadOnlySpan<byte> image, ImageSignatureOutcome outcome)
    {
        image.CopyTo(Reserve(image.Length));
        _entries.Add((condition, _used, image.Length, outcome));
        _used += image.Length;
    }

    /// <summary>Empties this instance for reuse, keeping its buffers.</summary>
    public void Clear()
    {
        _entries.Clear();
        _used = 0;
        Missed = false;
    }

    /// <summary>The index of the outcome for (condition, image as written): one already held, else one found in
    /// <see cref="Cache"/> (then held too); -1 when there is none, which with a cache sets <see cref="Missed"/>.</summary>
    public int Resolve(ImageSignatureCondition condition, ReadOnlySpan<byte> image)
    {
        var found = Find(condition, image);
        if (found >= 0 || Cache is null) return found;
        if (!Cache.TryGet(condition, image, out var outcome))
        {
            Missed = true;
            return -1;
        }
        Add(condition, image, outcome);
        return _entries.Count - 1;
    }

    /// <summary>The index of the outcome for (condition, image as written), or -1.</summary>
    public int Find(ImageSignatureCondition condition, ReadOnlySpan<byte> image)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (ReferenceEquals(entry.Condition, condition) && image.SequenceEqual(_images.AsSpan(entry.Start, entry.Length))) return i;
        }
        return -1;
    }

    public ImageSignatureOutcome Get(int index) => _entries[index].Outcome;

    public IEnumerable<(ImageSignatureCondition Condition, ImageSignatureOutcome Outcome)> All => _entries.Select(e => (e.Condition, e.Outcome));

    private Span<byte> Reserve(int length)
    {
        if (_used + length > _images.Length) Array.Resize(ref _images, Math.Max(_images.Length * 2, _used + length));
        return _images.AsSpan(_used, length);
    }

    /// <summary>Publishes <paramref name="outcomes"/> to code running synchronously on this thread until disposed.</summary>
    public static Scope Enter(ImageSignatureOutcomes? outcomes)
    {
        var previous = _current;
        _current = outcomes;
        return new Scope(previous);
    }

    public readonly struct Scope(ImageSignatureOutcomes? previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }
}

/// <summary>Verification outcomes that can be had synchronously, without a registry round trip (see
/// <see cref="ImageSignatureOutcomes.Cache"/>).</summary>
public interface ICachedImageSignatures
{
    bool TryGet(ImageSignatureCondition condition, ReadOnlySpan<byte> image, out ImageSignatureOutcome outcome);
}
