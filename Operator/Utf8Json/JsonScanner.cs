using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SecurityOperator.Utf8Json;

/// <summary>A forward-only, validating JSON (RFC 8259) tokenizer over one complete UTF-8 span, for the hot paths that
/// walk a whole pod per request. It accepts and rejects exactly what <see cref="Utf8JsonReader"/> does with default
/// options (no comments, no trailing commas; like its Read, no UTF-8 well-formedness check of strings, which its
/// CopyString adds and this CopyString does not), and produces the same tokens, but keeps none of its generality: no
/// multi-segment input, no resumable state, no partial tokens. That makes a pass over a pod about 1.5 times faster
/// (README, Evaluator performance).
///
/// State is explicit: the last token (<see cref="TokenType"/>), the nesting depth and one bit per level saying whether
/// that level is an object. What may follow the last token is decided from those alone in <see cref="Read"/>.
/// Errors are <see cref="JsonScanException"/> (a <see cref="JsonException"/>) naming the problem and its position.</summary>
public ref partial struct JsonScanner
{
    /// <summary>The most nesting levels the bit stack can track (System.Text.Json's default maximum is also 64).</summary>
    public const int DepthLimit = 64;

    private readonly ReadOnlySpan<byte> _json;
    private readonly int _maxDepth;
    // First byte not yet consumed.
    private int _position;
    // The current token: its first byte (the quote of a string), and its value (string contents without quotes).
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    // Open containers; bit d of _objectBits is set when the container at nesting level d+1 is an object.
    private int _depth;
    private ulong _objectBits;
    private JsonTokenType _tokenType;
    private bool _valueIsEscaped;

    public JsonScanner(ReadOnlySpan<byte> json, int maxDepth = DepthLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, DepthLimit);
        _json = json;
        _maxDepth = maxDepth;
    }

    public readonly JsonTokenType TokenType => _tokenType;

    /// <summary>The raw bytes of the current string or property name (without quotes, escapes not processed), or the
    /// text of a number or literal.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _valueLength);

    /// <summary>True when the current string or property name contains a backslash escape.</summary>
    public readonly bool ValueIsEscaped => _valueIsEscaped;

    /// <summary>Index of the current token's first byte in the input (the opening quote of a string).</summary>
    public readonly int TokenStartIndex => _tokenStart;

    /// <summary>Bytes consumed so far: the end of the current token (for a property name, after its colon).</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>The depth of the current token, as <see cref="Utf8JsonReader.CurrentDepth"/> counts it: the root value
    /// and the root's own start and end are at 0, its members at 1.</summary>
    public readonly int CurrentDepth => _tokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? _depth - 1 : _depth;

    private readonly bool InObject
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsObjectLevel(_objectBits, _depth);
    }

    /// <summary>Whether the container at nesting level <paramref name="depth"/> (from 1) is an object, by the bit stack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsObjectLevel(ulong objectBits, int depth) => (objectBits >> (depth - 1) & 1) != 0;

    /// <summary>Moves to the next token. False once the root value is complete and only whitespace follows.</summary>
    public bool Read()
    {
        var json = _json;
        var position = SkipWhitespace(json, _position);
        if ((uint)position >= (uint)json.Length) return ReadAtEnd();
        var next = json[position];
        _valueIsEscaped = false;
        // A value after a property name first, with one compare instead of the dispatch: the most frequent case.
        if (_tokenType == JsonTokenType.PropertyName) return ReadValue(position, next);
        switch (_tokenType)
        {
            case JsonTokenType.None:
                return ReadValue(position, next);
            case JsonTokenType.StartObject:
                return next == (byte)'}' ? Close(position, JsonTokenType.EndObject) : ReadPropertyName(position, next);
            case JsonTokenType.StartArray:
                return next == (byte)']' ? Close(position, JsonTokenType.EndArray) : ReadValue(position, next);
            default:
                return ReadAfterValue(position, next);
        }
    }

    /// <summary>After a complete value: a separator, the end of the enclosing container, or nothing at the root.</summary>
    private bool ReadAfterValue(int position, byte next)
    {
        if (_depth == 0) throw Error(position, "unexpected content after the end of the JSON value");
        if (next == (byte)',')
        {
            position = SkipWhitespace(_json, position + 1);
            if (position >= _json.Length) throw EndOfData();
            return InObject ? ReadPropertyName(position, _json[position]) : ReadValue(position, _json[position]);
        }
        if (next == (byte)'}' && InObject) return Close(position, JsonTokenType.EndObject);
        if (next == (byte)']' && !InObject) return Close(position, JsonTokenType.EndArray);
        throw Error(position, InObject ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
    }

    private readonly bool ReadAtEnd()
    {
        if (_tokenType == JsonTokenType.None) throw Error(_json.Length, "expected a JSON value, found no data");
        if (_depth > 0 || _tokenType == JsonTokenType.PropertyName) throw EndOfData();
        return false;
    }

    private bool Close(int position, JsonTokenType token)
    {
        _depth--;
        _tokenType = token;
        _tokenStart = position;
        _valueStart = position;
        _valueLength = 1; // the bracket itself, as Utf8JsonReader reports it
        _position = position + 1;
        return true;
    }

    /// <summary>The first non-whitespace index at or after <paramref name="position"/>. Inlined for the common case of
    /// compact JSON (no whitespace at all); indented JSON takes the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int position) =>
        (uint)position < (uint)json.Length && json[position] <= (byte)' ' ? SkipWhitespaceRun(json, position) : position;

    private static int SkipWhitespaceRun(ReadOnlySpan<byte> json, int position)
    {
        while ((uint)position < (uint)json.Length)
        {
            var b = json[position];
            if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t') break;
            position++;
        }
        return position;
    }
}
