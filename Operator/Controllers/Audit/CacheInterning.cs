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

    public CacheInterning(int capacity = DefaultCapacity) => Capacity = capacity;

    public int Capacity { get; }

    /// <summary>Values held now (strings and JSON values).</summary>
    public int Count
    {
        get { lock (_lock) return _strings.Count + _json.Count; }
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

    /// <summary>A copy of <paramref name="map"/> with shared keys and values, holding only the entries
    /// <paramref name="keep"/> accepts (all when null); null when none is left.</summary>
    public Dictionary<string, string>? Map(Dictionary<string, string>? map, Func<string, bool>? keep = null)
    {
        if (map is null || map.Count == 0) return map;
        Dictionary<string, string>? copy = null;
        foreach (var (key, value) in map)
        {
            if (keep is not null && !keep(key)) continue;
            (copy ??= new Dictionary<string, string>(map.Count, map.Comparer))[String(key)!] = String(value)!;
        }
        return copy;
    }

    private void MakeRoom()
    {
        if (_strings.Count + _json.Count < Capacity) return;
        _strings.Clear();
        _json.Clear();
    }
}
