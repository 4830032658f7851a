using System.Collections.Concurrent;

namespace SecurityOperator.Signing.Verification;

/// <summary>A bounded map whose entries expire after a fixed time. When full, expired entries go first, then the
/// oldest ones, so memory stays bounded whatever a cluster admits.</summary>
internal sealed class TtlCache<TKey, TValue>(TimeSpan ttl, int capacity, TimeProvider time) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long Expires)> _entries = new();
    private readonly object _evicting = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetTimestamp())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= capacity && !_entries.ContainsKey(key)) Evict();
        _entries[key] = (value, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
    }

    private void Evict()
    {
        lock (_evicting)
        {
            if (_entries.Count < capacity) return;
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
