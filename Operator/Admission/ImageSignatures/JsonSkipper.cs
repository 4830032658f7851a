using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>A forward cursor over UTF-8 JSON that finds where values end with vectorised searches (for a quote, a
/// backslash or a bracket) instead of tokenising them: the warm imageSignature path walks only the few members that
/// lead to container images and jumps over everything else. It checks what it walks through (strings end, brackets
/// pair up, keys are followed by ':', nesting stays under <see cref="MaxDepth"/>) but does not validate the contents
/// of what it jumps over; its caller treats any doubt as "ask the exact reader" (false from every method).</summary>
internal ref struct JsonSkipper(ReadOnlySpan<byte> json)
{
    /// <summary>64: System.Text.Json's default maximum depth, which the admission review reader and the pod fact reader
    /// use; deeper input is theirs to refuse.</summary>
    public const int MaxDepth = 64;

    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> ScalarEnd = SearchValues.Create(",}] \t\r\n"u8);

    private readonly ReadOnlySpan<byte> _json = json;

    /// <summary>Index of the next byte to read.</summary>
    public int Position;

    /// <summary>Nesting of the containers entered with <see cref="TryEnter"/> and not yet left.</summary>
    public int Depth;

    public readonly bool AtEnd => Position >= _json.Length;

    /// <summary>The byte at <see cref="Position"/> (after whitespace), or 0 at the end.</summary>
    public byte Peek()
    {
        SkipWhitespace();
        return Position < _json.Length ? _json[Position] : (byte)0;
    }

    /// <summary>Consumes <paramref name="open"/> ('{' or '[') when it is the next byte.</summary>
    public bool TryEnter(byte open)
    {
        if (Peek() != open || Depth + 1 > MaxDepth) return false;
        Position++;
        Depth++;
        return true;
    }

    /// <summary>Moves to the next member of the object entered last: 1 with <paramref name="key"/> (raw, never escaped)
    /// and the cursor on its value, 0 at the object's end (consumed), -1 when in doubt (an escaped key, bad syntax).</summary>
    public int NextMember(ref bool first, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (!Separate(ref first, (byte)'}', out var ended)) return -1;
        if (ended) return 0;
        if (!TryReadString(out key, out var escaped) || escaped || Peek() != ':') return -1;
        Position++;
        SkipWhitespace();
        return 1;
    }

    /// <summary>Moves to the next element of the array entered last: 1 on an element, 0 at the array's end
    /// (consumed), -1 when in doubt.</summary>
    public int NextElement(ref bool first)
    {
        if (!Separate(ref first, (byte)']', out var ended)) return -1;
        return ended ? 0 : 1;
    }

    /// <summary>Reads a string value: its raw bytes between the quotes, and whether they hold an escape.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> raw, out bool escaped)
    {
        raw = default;
        escaped = false;
        if (Peek() != '"') return false;
        var start = Position + 1;
        var i = start;
        while (true)
        {
            var found = _json[i..].IndexOfAny(StringEnd);
            if (found < 0) return false;
            i += found;
            if (_json[i] == '"') break;
            escaped = true;
            i += 2;
            if (i > _json.Length) return false;
        }
        raw = _json[start..i];
        Position = i + 1;
        return true;
    }

    /// <summary>Consumes the literal null when it is next.</summary>
    public bool TryReadNull()
    {
        if (Peek() != 'n' || !_json[Position..].StartsWith("null"u8)) return false;
        Position += 4;
        return true;
    }

    /// <summary>Jumps over the value at the cursor: a string, an object or array with everything in it, or a scalar.</summary>
    public bool TrySkipValue()
    {
        var next = Peek();
        if (next == '"') return TryReadString(out _, out _);
        if (next is not ((byte)'{' or (byte)'[')) return TrySkipScalar();
        var end = SkipContainer(_json, Position, MaxDepth - Depth);
        if (end < 0) return false;
        Position = end;
        return true;
    }

    /// <summary>The index after the object or array that starts at <paramref name="start"/>, or -1 (unterminated,
    /// mismatched brackets, deeper than <paramref name="depthBudget"/>). Sixteen bytes at a time: bit masks of quotes and
    /// brackets, the quotes' prefix XOR marking what is inside strings, so that only brackets outside strings are
    /// visited one by one (a pod has a few per container; it has a quote every few bytes). A block holding a backslash
    /// is walked byte by byte, escapes being rare outside annotations.</summary>
    internal static int SkipContainer(ReadOnlySpan<byte> json, int start, int depthBudget)
    {
        var state = new SkipState { DepthBudget = Math.Min(depthBudget, 64) };
        var i = start;
        ref var origin = ref MemoryMarshal.GetReference(json);
        while (i + Vector128<byte>.Count <= json.Length)
        {
            var block = Vector128.LoadUnsafe(ref origin, (nuint)i);
            if (state.EscapeNext || Vector128.EqualsAny(block, Vector128.Create((byte)'\\')))
            {
                for (var k = i; k < i + Vector128<byte>.Count; k++)
                {
                    var result = state.Step(json[k]);
                    if (result != 0) return result < 0 ? -1 : k + 1;
                }
                i += Vector128<byte>.Count;
                continue;
            }
            var quotes = (uint)Vector128.Equals(block, Vector128.Create((byte)'"')).ExtractMostSignificantBits();
            var brackets = (uint)(Vector128.Equals(block, Vector128.Create((byte)'{')) | Vector128.Equals(block, Vector128.Create((byte)'['))
                                  | Vector128.Equals(block, Vector128.Create((byte)'}')) | Vector128.Equals(block, Vector128.Create((byte)']')))
                .ExtractMostSignificantBits();
            // Inclusive prefix XOR: bit k is set when an odd number of quotes are at or before k in this block.
            var inside = quotes;
            inside ^= inside << 1;
            inside ^= inside << 2;
            inside ^= inside << 4;
            inside ^= inside << 8;
            if (state.InString) inside = ~inside;
            inside &= 0xFFFF;
            state.InString = (inside & 0x8000) != 0;
            var outside = brackets & ~inside;
            while (outside != 0)
            {
                var k = i + BitOperations.TrailingZeroCount(outside);
                var result = state.Bracket(json[k]);
                if (result != 0) return result < 0 ? -1 : k + 1;
                outside &= outside - 1;
            }
            i += Vector128<byte>.Count;
        }
        for (; i < json.Length; i++)
        {
            var result = state.Step(json[i]);
            if (result != 0) return result < 0 ? -1 : i + 1;
        }
        return -1;
    }

    /// <summary>Where <see cref="SkipContainer"/> is: inside a string or not, after a backslash or not, how deep and in
    /// which kinds of container (bit d set: the container at depth d is an object).</summary>
    private struct SkipState
    {
        public bool InString, EscapeNext;
        public int Depth, DepthBudget;
        public ulong Objects;

        /// <summary>One byte: 1 when it closed the outermost container, -1 on an error, else 0.</summary>
        public int Step(byte b)
        {
            if (InString)
            {
                if (EscapeNext) EscapeNext = false;
                else if (b == '\\') EscapeNext = true;
                else if (b == '"') InString = false;
                return 0;
            }
            if (b == '"')
            {
                InString = true;
                return 0;
            }
            return b is (byte)'{' or (byte)'[' or (byte)'}' or (byte)']' ? Bracket(b) : 0;
        }

        /// <summary>A bracket outside strings: 1 when it closed the outermost container, -1 on an error, else 0.</summary>
        public int Bracket(byte b)
        {
            if (b is (byte)'{' or (byte)'[')
            {
                if (Depth + 1 > DepthBudget) return -1;
                if (b == '{') Objects |= 1UL << Depth; else Objects &= ~(1UL << Depth);
                Depth++;
                return 0;
            }
            Depth--;
            if (Depth < 0 || ((Objects >> Depth) & 1) != (b == '}' ? 1UL : 0UL)) return -1;
            return Depth == 0 ? 1 : 0;
        }
    }

    private bool TrySkipScalar()
    {
        if (AtEnd) return false;
        var rest = _json[Position..];
        var length = rest.IndexOfAny(ScalarEnd);
        if (length < 0) length = rest.Length;
        if (length == 0) return false;
        Position += length;
        return true;
    }

    /// <summary>Before a member or element: the container's end, or (after the first) the comma.</summary>
    private bool Separate(ref bool first, byte close, out bool ended)
    {
        ended = false;
        var next = Peek();
        if (next == close)
        {
            Position++;
            Depth--;
            ended = true;
            return true;
        }
        if (first)
        {
            first = false;
            return next != 0;
        }
        if (next != ',') return false;
        Position++;
        return Peek() != 0;
    }

    private void SkipWhitespace()
    {
        while (Position < _json.Length && _json[Position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') Position++;
    }
}
