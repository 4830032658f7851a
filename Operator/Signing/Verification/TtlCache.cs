using System.Collections.Concurrent;

namespace SecurityOperator.Signing.Verification;

/// <summary>A bounded map whose entries expire after a fixed time. When full, expired entries go first, then the
/// oldest ones, so memory stays bounded whatever a cluster admits. <see cref="Version"/> tells shortcuts built on it
/// (the verifier's warm table) when an entry they saw may have gone or changed before its expiry.</summary>
internal sealed class TtlCache<TKey, TValue>(TimeSpan ttl, int capacity, TimeProvider time) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long Expires)> _entries = new();
    private readonly object _evicting = new();
    private long _version;

    public int Count => _entries.Count;

    /// <summary>Bumped whenever an entry leaves before its expiry or a live entry is replaced (eviction when full,
    /// concurrent Sets of one key); not when a new key is added or an expired one set again. A copy of an entry kept
    /// with the version of then, unchanged since and unexpired, is what <see cref="TryGet"/> would return.</summary>
    public long Version => Volatile.Read(ref _version);

    public bool TryGet(TKey key, out TValue value) => TryGet(key, out value, out _);

    /// <summary>As <see cref="TryGet(TKey, out TValue)"/>, with the entry's expiry (a <see cref="TimeProvider"/> timestamp;
    /// the entry is live while <see cref="Now"/> is below it).</summary>
    public bool TryGet(TKey key, out TValue value, out long expires)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetTimestamp())
        {
            value = entry.Value;
            expires = entry.Expires;
            return true;
        }
        value = default!;
        expires = 0;
        return false;
    }

    public long Now => time.GetTimestamp();

    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= capacity && !_entries.ContainsKey(key)) Evict();
        var now = time.GetTimestamp();
        var entry = (value, now + (long)(ttl.TotalSeconds * time.TimestampFrequency));
        // Replacing a live entry (a concurrent Set of the same key) may change what a shortcut copied: bump.
        _entries.AddOrUpdate(key, static (_, a) => a.Entry, static (_, old, a) =>
        {
            if (old.Expires > a.Now) Interlocked.Increment(ref a.Cache._version);
            return a.Entry;
        }, (Entry: entry, Now: now, Cache: this));
    }

    private void Evict()
    {
        lock (_evicting)
        {
            if (_entries.Count < capacity) return;
            Interlocked.Increment(ref _version);
            var now = time.GetTimestamp();
            foreach (var (key, entry) in _entries)
                if (entry.Expires <= now) _entries.TryRemove(key, out _);
            // Still full: drop the oldest tenth (earliest expiry = earliest insert, the TTL being fixed).
            var excess = _entries.Count - capacity + Math.Max(1, capacity / 10);
            if (excess <= 0) return;
            foreach (var key in _entries.OrderBy(e => e.Value.Expires).Take(excess).Select(e => e.Key).ToList())
                _entries.TryRemove(key, out _);
        }
    }
}
