using System.Text.Json;

namespace SecurityOperator.Utf8Json;

/// <summary>Malformed JSON found by <see cref="JsonScanner"/>: the problem, and where (byte offset, line and column,
/// both from 1), so that a user can find it in the file or body they sent. A <see cref="JsonException"/>, so callers
/// that handle System.Text.Json's errors handle these too.</summary>
public sealed class JsonScanException(string message, long byteOffset) : JsonException(message)
{
    /// <summary>Offset from the start of the input of the byte where the problem was found.</summary>
    public long ByteOffset { get; } = byteOffset;
}

public ref partial struct JsonScanner
{
    private readonly JsonScanException Error(int position, string problem)
    {
        var line = 1;
        var lineStart = 0;
        var end = Math.Min(position, _json.Length);
        for (var i = 0; i < end; i++)
            if (_json[i] == (byte)'\n') { line++; lineStart = i + 1; }
        var found = position < _json.Length ? $", found {Describe(_json[position])}" : "";
        return new JsonScanException($"{problem}{found} (byte {position + 1}, line {line}, column {position - lineStart + 1})", position);
    }

    private const string EndOfDataProblem = "unexpected end of data";

    private readonly JsonScanException EndOfData() => Error(_json.Length, EndOfDataProblem);

    /// <summary>For the scanning helpers that report a problem instead of throwing: the position (the input's end) and
    /// the problem of a truncation.</summary>
    private static int EndOfData(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = EndOfDataProblem;
        return json.Length;
    }

    private static string Describe(byte b) => b switch
    {
        >= 0x21 and < 0x7F => $"'{(char)b}'",
        (byte)' ' => "a space",
        _ => $"byte 0x{b:X2}",
    };
}
