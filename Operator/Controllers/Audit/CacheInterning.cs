using System.Text.Json;

namespace SecurityOperator.Controllers.Audit;

/// <summary>One instance of each string (and small JSON value) that many cached objects repeat: namespaces, label and
/// annotation keys and values, owner kinds and the owner names and uids replicas share, container names, phases,
/// identical container port lists. The JSON decoder gives every object its own copies; at 10,000 pods those copies
/// were the largest part of the typed cache. Thread-safe (every informer's loop trims its own objects). Bounded: when
/// <see cref="Capacity"/> values are held, the table starts over, so values of objects long gone are not kept forever
/// (objects that still hold an instance keep it; only later objects get new ones).</summary>
internal sealed class CacheInterning
{
    /// <summary>Several times the distinct values of the 10,000-pod scale benchmark (about 3,000), at most a few MB.</summary>
    public const int DefaultCapacity = 50_000;

    /// <summary>Longer values (e.g. an annotation holding a whole manifest) are rarely shared: kept as they are.</summary>
    public const int MaxLength = 256;

    private readonly object _lock = new();
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _json = new(StringComparer.Ordinal);
    private readonly Dictionary<Dictionary<string, string>, Dictionary<string, string>> _maps = new(MapContent.Instance);
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public CacheInterning(int capacity = DefaultCapacity) => Capacity = capacity;

    public int Capacity { get; }

    /// <summary>Values held now (strings, JSON values, label maps and keyed values).</summary>
    public int Count
    {
        get { lock (_lock) return _strings.Count + _json.Count + _maps.Count + _values.Count; }
    }

    public string? String(string? value)
    {
        if (value is null || value.Length > MaxLength) return value;
        lock (_lock)
        {
            if (_strings.TryGetValue(value, out var held)) return held;
            MakeRoom();
            _strings[value] = value;
            return value;
        }
    }

    /// <summary>An equal JSON value (same raw text) that other objects share. JSON values are read-only.</summary>
    public JsonElement Json(JsonElement value)
    {
        var raw = value.GetRawText();
        if (raw.Length > MaxLength * 4) return value;
        lock (_lock)
        {
            if (_json.TryGetValue(raw, out var held)) return held;
            MakeRoom();
            _json[raw] = value;
            return value;
        }
    }

    /// <summary>A map with the entries of <paramref name="map"/> that <paramref name="keep"/> accepts (all when null), null
    /// when none is left: one instance per distinct content (the replicas of a workload carry the same labels), with
    /// shared keys and values. The result is shared: callers must not change it (cached objects are read-only).</summary>
    public Dictionary<string, string>? Map(Dictionary<string, string>? map, Func<string, bool>? keep = null)
    {
        if (map is null || map.Count == 0) return map;
        Dictionary<string, string>? copy = null;
        foreach (var (key, value) in map)
        {
            if (keep is not null && !keep(key)) continue;
            (copy ??= new Dictionary<string, string>(map.Count, StringComparer.Ordinal))[String(key)!] = String(value)!;
        }
        if (copy is null) return null;
        lock (_lock)
        {
            if (_maps.TryGetValue(copy, out var held)) return held;
            MakeRoom();
            _maps[copy] = copy;
            return copy;
        }
    }

    /// <summary>The instance held for <paramref name="key"/> (a text that says everything the value holds, e.g. its JSON),
    /// else <paramref name="value"/>, now held for it. For read-only views many objects repeat whole, such as the
    /// network view of replica pods (AuditCacheTrim).</summary>
    public T Value<T>(string key, T value) where T : class
    {
        if (key.Length > MaxLength * 4) return value;
        lock (_lock)
        {
            if (_values.TryGetValue(key, out var held) && held is T same) return same;
            MakeRoom();
            _values[key] = value;
            return value;
        }
    }

    private void MakeRoom()
    {
        if (_strings.Count + _json.Count + _maps.Count + _values.Count < Capacity) return;
        _strings.Clear();
        _json.Clear();
        _maps.Clear();
        _values.Clear();
    }

    /// <summary>Maps compared by their entries (ordinal), whatever the order they were added in.</summary>
    private sealed class MapContent : IEqualityComparer<Dictionary<string, string>>
    {
        public static readonly MapContent Instance = new();

        public bool Equals(Dictionary<string, string>? x, Dictionary<string, string>? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.Count != y.Count) return false;
            foreach (var (key, value) in x)
                if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal)) return false;
            return true;
        }

        public int GetHashCode(Dictionary<string, string> map)
        {
            var hash = 0;
            foreach (var (key, value) in map) hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
            return hash;
        }
    }
}
