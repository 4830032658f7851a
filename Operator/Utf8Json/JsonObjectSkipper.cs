using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text.Unicode;

namespace SecurityOperator.Utf8Json;

/// <summary>Measures a JSON object while checking that it is well formed, several times faster than
/// <see cref="System.Text.Json.Utf8JsonReader.Skip"/>: request.object is most of an AdmissionReview's bytes, and the
/// envelope pass only needs to know where it ends and that it is valid JSON. It accepts a subset of what
/// Utf8JsonReader accepts with default options (RFC 8259: no comments, no trailing commas; strings without control
/// characters, with valid escapes and valid UTF-8; a bounded depth) and answers "unsure" (-1) for anything else, so
/// the caller lets Utf8JsonReader skip the object and report the exact error: every answer this class gives is one
/// Utf8JsonReader would also give.</summary>
internal static class JsonObjectSkipper
{
    // What ends the fast part of a string: its closing quote, an escape, or a control character (invalid unescaped).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private enum Expect : byte { Value, ValueOrEnd, Name, NameOrEnd, Colon, CommaOrEnd }

    /// <summary>The length of the object at the start of <paramref name="json"/> (from its '{' to after its '}'), or -1
    /// when it is not certainly well formed or nests deeper than <paramref name="maxDepth"/> (at most 63).</summary>
    public static int Measure(ReadOnlySpan<byte> json, int maxDepth)
    {
        if (json.IsEmpty || json[0] != (byte)'{' || maxDepth is < 1 or > 63) return -1;
        var end = MeasureStructure(json, maxDepth);
        // Non-ASCII appears only inside strings; a single vectorized pass checks all of them.
        return end > 0 && Utf8.IsValid(json[..end]) ? end : -1;
    }

    private static int MeasureStructure(ReadOnlySpan<byte> json, int maxDepth)
    {
        ulong objects = 1; // bit d set: the container at depth d+1 is an object (else an array)
        var depth = 1;
        var i = 1;
        var expect = Expect.NameOrEnd;
        while (true)
        {
            if ((uint)i >= (uint)json.Length) return -1;
            var c = json[i];
            if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                i++;
                continue;
            }
            switch (expect)
            {
                case Expect.Value or Expect.ValueOrEnd:
                    if (c == (byte)']' && expect == Expect.ValueOrEnd) goto Close;
                    switch (c)
                    {
                        case (byte)'{':
                            if (++depth > maxDepth) return -1;
                            objects = (objects << 1) | 1;
                            i++;
                            expect = Expect.NameOrEnd;
                            continue;
                        case (byte)'[':
                            if (++depth > maxDepth) return -1;
                            objects <<= 1;
                            i++;
                            expect = Expect.ValueOrEnd;
                            continue;
                        case (byte)'"':
                            i = StringEnd(json, i + 1);
                            break;
                        case (byte)'t':
                            i = json[i..].StartsWith("true"u8) ? i + 4 : -1;
                            break;
                        case (byte)'f':
                            i = json[i..].StartsWith("false"u8) ? i + 5 : -1;
                            break;
                        case (byte)'n':
                            i = json[i..].StartsWith("null"u8) ? i + 4 : -1;
                            break;
                        default:
                            i = NumberEnd(json, i);
                            break;
                    }
                    if (i < 0) return -1;
                    expect = Expect.CommaOrEnd;
                    continue;
                case Expect.Name or Expect.NameOrEnd:
                    if (c == (byte)'}' && expect == Expect.NameOrEnd) goto Close;
                    if (c != (byte)'"') return -1;
                    i = StringEnd(json, i + 1);
                    if (i < 0) return -1;
                    expect = Expect.Colon;
                    continue;
                case Expect.Colon:
                    if (c != (byte)':') return -1;
                    i++;
                    expect = Expect.Value;
                    continue;
                default: // CommaOrEnd
                    var inObject = (objects & 1) != 0;
                    if (c == (byte)',')
                    {
                        i++;
                        // No trailing commas: after a comma comes a name (object) or a value (array), never the end.
                        expect = inObject ? Expect.Name : Expect.Value;
                        continue;
                    }
                    if (c == (inObject ? (byte)'}' : (byte)']')) goto Close;
                    return -1;
            }
        Close:
            i++;
            if (--depth == 0) return i;
            objects >>= 1;
            expect = Expect.CommaOrEnd;
        }
    }

    /// <summary>Index after the closing quote of the string whose content starts at <paramref name="i"/>, or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int i)
    {
        while (true)
        {
            var stop = NextStringStop(json, i);
            if (stop < 0) return -1;
            i = stop;
            var c = json[i];
            if (c == (byte)'"') return i + 1;
            if (c != (byte)'\\' || i + 1 >= json.Length) return -1; // a control character, or an escape at the very end
            switch (json[i + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    i += 2;
                    break;
                case (byte)'u':
                    if (i + 6 > json.Length || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]) || !IsHex(json[i + 5])) return -1;
                    i += 6;
                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>Index of the first quote, backslash or control character at or after <paramref name="i"/>, or -1. Most
    /// strings of a pod are short (names, images, quantities): one 16-byte comparison finds their end, where a general
    /// IndexOfAny call would cost more than the string.</summary>
    private static int NextStringStop(ReadOnlySpan<byte> json, int i)
    {
        if (Vector128.IsHardwareAccelerated && i + Vector128<byte>.Count <= json.Length)
        {
            var chunk = Vector128.Create(json.Slice(i, Vector128<byte>.Count));
            var stops = Vector128.Equals(chunk, Vector128.Create((byte)'"')) | Vector128.Equals(chunk, Vector128.Create((byte)'\\'))
                        | Vector128.LessThan(chunk, Vector128.Create((byte)0x20));
            if (stops != Vector128<byte>.Zero) return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
            i += Vector128<byte>.Count;
        }
        var rest = json[i..].IndexOfAny(StringStops);
        return rest < 0 ? -1 : i + rest;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>Index after the RFC 8259 number starting at <paramref name="i"/>, or -1. What follows it is checked by the
    /// caller (a comma, a closing bracket or whitespace).</summary>
    private static int NumberEnd(ReadOnlySpan<byte> json, int i)
    {
        if (i < json.Length && json[i] == (byte)'-') i++;
        if (i >= json.Length) return -1;
        if (json[i] == (byte)'0') i++;
        else if (json[i] is >= (byte)'1' and <= (byte)'9') i = Digits(json, i + 1);
        else return -1;
        if (i < json.Length && json[i] == (byte)'.')
        {
            var fraction = Digits(json, i + 1);
            if (fraction == i + 1) return -1;
            i = fraction;
        }
        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-') i++;
            var exponent = Digits(json, i);
            if (exponent == i) return -1;
            i = exponent;
        }
        return i;
    }

    private static int Digits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && char.IsAsciiDigit((char)json[i])) i++;
        return i;
    }
}
