using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>A value starts at <paramref name="position"/>: a container, a string, a number or a literal. What follows
    /// it is checked by the next <see cref="Read"/>, so "truex" or "12a" fail there, as in Utf8JsonReader.</summary>
    private bool ReadValue(int position, byte first)
    {
        _tokenStart = position;
        switch (first)
        {
            case (byte)'{':
                Open(position, isObject: true);
                return true;
            case (byte)'[':
                Open(position, isObject: false);
                return true;
            case (byte)'"':
            {
                var end = ScanString(position);
                _tokenType = JsonTokenType.String;
                _position = end + 1;
                return true;
            }
            case (byte)'t':
                return ReadLiteral(position, "true"u8, JsonTokenType.True);
            case (byte)'f':
                return ReadLiteral(position, "false"u8, JsonTokenType.False);
            case (byte)'n':
                return ReadLiteral(position, "null"u8, JsonTokenType.Null);
            default:
                if (first == (byte)'-' || (uint)(first - '0') <= 9)
                {
                    var end = ScanNumber(position);
                    _tokenType = JsonTokenType.Number;
                    _valueStart = position;
                    _valueLength = end - position;
                    _position = end;
                    return true;
                }
                throw Error(position, "expected a value");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Open(int position, bool isObject)
    {
        if (_depth >= _maxDepth) throw DepthError(position);
        if (isObject) _objectBits |= 1UL << _depth;
        else _objectBits &= ~(1UL << _depth);
        _depth++;
        _tokenType = isObject ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        _valueStart = position;
        _valueLength = 1; // the bracket itself, as Utf8JsonReader reports it
        _position = position + 1;
    }

    // Messages are built out of line (see ControlCharacterError).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly JsonScanException DepthError(int position) => Error(position, $"nesting depth over the limit of {_maxDepth} levels");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly JsonScanException LiteralError(int position, ReadOnlySpan<byte> literal) =>
        Error(position, $"invalid literal: expected '{System.Text.Encoding.ASCII.GetString(literal)}'");

    private bool ReadPropertyName(int position, byte first)
    {
        if (first != (byte)'"') throw Error(position, "expected a property name in double quotes");
        _tokenStart = position;
        var end = ScanString(position);
        var colon = SkipWhitespace(_json, end + 1);
        if (colon >= _json.Length) throw EndOfData();
        if (_json[colon] != (byte)':') throw Error(colon, "expected ':' after a property name");
        _tokenType = JsonTokenType.PropertyName;
        _position = colon + 1;
        return true;
    }

    private bool ReadLiteral(int position, ReadOnlySpan<byte> literal, JsonTokenType token)
    {
        if (!_json[position..].StartsWith(literal))
        {
            var available = _json.Length - position;
            if (available < literal.Length && literal.StartsWith(_json[position..])) throw EndOfData();
            throw LiteralError(position, literal);
        }
        _tokenType = token;
        _valueStart = position;
        _valueLength = literal.Length;
        _position = position + literal.Length;
        return true;
    }
}
