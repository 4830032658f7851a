using System.Buffers.Text;
using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Validates the number starting at <paramref name="start"/> against RFC 8259's grammar
    /// (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) and returns the index after it.</summary>
    private readonly int ScanNumber(int start)
    {
        var json = _json;
        var i = start;
        if (json[i] == (byte)'-') i++;
        if (i >= json.Length) throw EndOfData();
        if (json[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            if (!IsDigit(json, i)) throw Error(i, "invalid number: expected a digit");
            i = SkipDigits(json, i);
        }
        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (i >= json.Length) throw EndOfData();
            if (!IsDigit(json, i)) throw Error(i, "invalid number: expected a digit after the decimal point");
            i = SkipDigits(json, i);
        }
        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && (json[i] == (byte)'+' || json[i] == (byte)'-')) i++;
            if (i >= json.Length) throw EndOfData();
            if (!IsDigit(json, i)) throw Error(i, "invalid number: expected a digit in the exponent");
            i = SkipDigits(json, i);
        }
        return i;
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
