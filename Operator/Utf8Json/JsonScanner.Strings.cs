using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Scans the string whose opening quote is at <paramref name="quote"/>; sets the value range and the escape
    /// flag and returns the index of the closing quote. Escapes are validated here, unescaped only on demand. Inlined:
    /// most strings of a pod end at the first stop; a string with escapes (or an error) takes the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ScanString(int quote)
    {
        var json = _json;
        var i = IndexOfStringStop(json, quote + 1);
        if ((uint)i < (uint)json.Length && json[i] == (byte)'"') _valueIsEscaped = false;
        else i = ScanStringFromStop(i);
        _valueStart = quote + 1;
        _valueLength = i - quote - 1;
        return i;
    }

    /// <summary>The rest of <see cref="ScanString"/> from a stop that is not the closing quote: a backslash (validate the
    /// escape, go on), a control character (an error) or the end of the input (an error).</summary>
    private int ScanStringFromStop(int i)
    {
        var json = _json;
        while (true)
        {
            if (i < 0) throw EndOfData();
            var b = json[i];
            if (b == (byte)'"') break;
            if (b != (byte)'\\') throw ControlCharacterError(i, b);
            i = IndexOfStringStop(json, SkipEscape(i));
        }
        _valueIsEscaped = true;
        return i;
    }

    /// <summary>The first quote, backslash or control character at or after <paramref name="start"/>, or -1. Sixteen
    /// bytes at a time: most strings of a pod are short, and longer vectors would rarely fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfStringStop(ReadOnlySpan<byte> json, int start)
    {
        var i = start;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var origin = ref MemoryMarshal.GetReference(json);
            var quotes = Vector128.Create((byte)'"');
            var backslashes = Vector128.Create((byte)'\\');
            var space = Vector128.Create((byte)' ');
            while (i <= json.Length - Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref origin, (nuint)i);
                var stops = Vector128.Equals(block, quotes) | Vector128.Equals(block, backslashes) | Vector128.LessThan(block, space);
                if (stops != Vector128<byte>.Zero) return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
                i += Vector128<byte>.Count;
            }
        }
        for (; i < json.Length; i++)
        {
            var b = json[i];
            if (b == (byte)'"' || b == (byte)'\\' || b < (byte)' ') return i;
        }
        return -1;
    }

    // Messages are built in methods of their own: string interpolation inline would make the hot callers zero a
    // formatting buffer on their stack on every call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly JsonScanException ControlCharacterError(int position, byte b) =>
        Error(position, $"control character 0x{b:X2} in a string (it must be escaped)");

    /// <summary>Validates the escape sequence whose backslash is at <paramref name="backslash"/>; the index after it.</summary>
    private readonly int SkipEscape(int backslash)
    {
        var end = EscapeEnd(_json, backslash, out var problem);
        return problem is null ? end : throw Error(end, problem);
    }

    /// <summary>The index after the escape sequence whose backslash is at <paramref name="backslash"/>; when it is
    /// invalid or truncated, the index of the offending byte (the input's length for a truncation) and the problem.</summary>
    private static int EscapeEnd(ReadOnlySpan<byte> json, int backslash, out string? problem)
    {
        problem = null;
        if (backslash + 1 >= json.Length) return EndOfData(json, out problem);
        switch (json[backslash + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return backslash + 2;
            case (byte)'u':
                for (var h = backslash + 2; h < backslash + 6; h++)
                {
                    if (h >= json.Length) return EndOfData(json, out problem);
                    if (HexValue(json[h]) >= 0) continue;
                    problem = "invalid \\u escape: expected four hexadecimal digits";
                    return h;
                }
                return backslash + 6;
            default:
                problem = "invalid escape sequence in a string";
                return backslash + 1;
        }
    }

    /// <summary>The index of the quote that closes the string opened at <paramref name="quote"/>, or -1 when the string
    /// is unterminated or holds a control character or an invalid escape (for <see cref="ContainerEnd"/>, which only
    /// needs to know that; <see cref="ScanString"/> says what is wrong).</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int quote)
    {
        var i = IndexOfStringStop(json, quote + 1);
        while ((uint)i < (uint)json.Length)
        {
            var b = json[i];
            if (b == (byte)'"') return i;
            if (b != (byte)'\\') return -1;
            i = EscapeEnd(json, i, out var problem);
            if (problem is not null) return -1;
            i = IndexOfStringStop(json, i);
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(byte b)
    {
        if ((uint)(b - '0') <= 9) return b - '0';
        var lower = b | 0x20;
        if ((uint)(lower - 'a') <= 5) return lower - 'a' + 10;
        return -1;
    }

    /// <summary>Copies the current string or property name, unescaped, into <paramref name="destination"/> (at least
    /// <see cref="ValueSpan"/>'s length: unescaping never grows the text); the number of bytes written. An unpaired
    /// UTF-16 surrogate in a \u escape is an error, as in Utf8JsonReader.CopyString.</summary>
    public readonly int CopyString(Span<byte> destination)
    {
        var raw = ValueSpan;
        if (!_valueIsEscaped)
        {
            raw.CopyTo(destination);
            return raw.Length;
        }
        var written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var backslash = raw[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                return written + raw.Length - i;
            }
            raw.Slice(i, backslash).CopyTo(destination[written..]);
            written += backslash;
            i += backslash;
            var kind = raw[i + 1];
            if (kind != (byte)'u')
            {
                destination[written++] = kind switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => kind, // '"', '\\', '/'
                };
                i += 2;
                continue;
            }
            var unit = ReadHex4(raw, i + 2);
            i += 6;
            int scalar = unit;
            if (char.IsHighSurrogate((char)unit))
            {
                if (i + 6 > raw.Length || raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u' || !char.IsLowSurrogate((char)ReadHex4(raw, i + 2)))
                    throw Error(_valueStart + i, "invalid \\u escape: a high surrogate must be followed by a low surrogate");
                scalar = char.ConvertToUtf32((char)unit, (char)ReadHex4(raw, i + 2));
                i += 6;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                throw Error(_valueStart + i - 6, "invalid \\u escape: a low surrogate without a high surrogate before it");
            }
            written += new Rune(scalar).EncodeToUtf8(destination[written..]);
        }
        return written;
    }

    private static int ReadHex4(ReadOnlySpan<byte> raw, int start) =>
        HexValue(raw[start]) << 12 | HexValue(raw[start + 1]) << 8 | HexValue(raw[start + 2]) << 4 | HexValue(raw[start + 3]);

    /// <summary>True when the current string or property name, unescaped, equals <paramref name="text"/>.</summary>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> text)
    {
        if (!_valueIsEscaped) return ValueSpan.SequenceEqual(text);
        if (text.Length > _valueLength) return false;
        Span<byte> buffer = _valueLength <= 256 ? stackalloc byte[_valueLength] : new byte[_valueLength];
        return buffer[..CopyString(buffer)].SequenceEqual(text);
    }
}
