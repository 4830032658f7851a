using System.Buffers.Text;
using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Validates the number starting at <paramref name="start"/> and returns the index after it.</summary>
    private readonly int ScanNumber(int start)
    {
        var end = NumberEnd(_json, start, out var problem);
        return problem is null ? end : throw Error(end, problem);
    }

    /// <summary>The index after the number starting at <paramref name="start"/>, checked against RFC 8259's grammar
    /// (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?); when it does not match, the index of the offending byte (the
    /// input's length for a truncation) and the problem.</summary>
    private static int NumberEnd(ReadOnlySpan<byte> json, int start, out string? problem)
    {
        problem = null;
        var i = start;
        if (json[i] == (byte)'-') i++;
        if (i >= json.Length) return EndOfData(json, out problem);
        if (json[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            if (!IsDigit(json, i)) return Problem(i, "invalid number: expected a digit", out problem);
            i = SkipDigits(json, i);
        }
        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (i >= json.Length) return EndOfData(json, out problem);
            if (!IsDigit(json, i)) return Problem(i, "invalid number: expected a digit after the decimal point", out problem);
            i = SkipDigits(json, i);
        }
        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && (json[i] == (byte)'+' || json[i] == (byte)'-')) i++;
            if (i >= json.Length) return EndOfData(json, out problem);
            if (!IsDigit(json, i)) return Problem(i, "invalid number: expected a digit in the exponent", out problem);
            i = SkipDigits(json, i);
        }
        return i;
    }

    private static int Problem(int position, string text, out string? problem)
    {
        problem = text;
        return position;
    }

    private static bool IsDigit(ReadOnlySpan<byte> json, int i) => (uint)(json[i] - '0') <= 9;

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && (uint)(json[i] - '0') <= 9) i++;
        return i;
    }

    /// <summary>The current number as a 64-bit integer; false when it has a fraction or exponent or does not fit (as
    /// Utf8JsonReader.TryGetInt64).</summary>
    public readonly bool TryGetInt64(out long value)
    {
        if (_tokenType != JsonTokenType.Number) throw new InvalidOperationException($"the current token is {_tokenType}, not a number");
        if (Utf8Parser.TryParse(ValueSpan, out value, out var consumed) && consumed == _valueLength) return true;
        value = 0;
        return false;
    }

    /// <summary>The current number as a 32-bit integer; false when it has a fraction or exponent or does not fit.</summary>
    public readonly bool TryGetInt32(out int value)
    {
        if (_tokenType != JsonTokenType.Number) throw new InvalidOperationException($"the current token is {_tokenType}, not a number");
        if (Utf8Parser.TryParse(ValueSpan, out value, out var consumed) && consumed == _valueLength) return true;
        value = 0;
        return false;
    }
}
