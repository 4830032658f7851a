using System.Collections.Concurrent;
using System.Text;

namespace SecurityOperator.Admission;

/// <summary>Turns short UTF-8 values that repeat across requests (namespaces, kinds, user names) into strings
/// without allocating once seen: the bytes are transcoded on the stack and looked up by span. Bounded, so a client
/// sending endless distinct values costs an allocation per value rather than unbounded memory.</summary>
public sealed class Utf8StringCache
{
    // Namespaces and kinds in one cluster number in the hundreds to low thousands; 8192 covers that with room.
    public const int DefaultCapacity = 8192;

    // Kubernetes names are at most 253 characters (DNS subdomain); longer values are not worth caching.
    private const int MaxCachedLength = 256;

    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public Utf8StringCache(int capacity = DefaultCapacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (utf8.Length > MaxCachedLength) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxCachedLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var known)) return known;
        var created = new string(text);
        if (_strings.Count < _capacity) _strings.TryAdd(created, created);
        return created;
    }
}
