using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Skips the current value: on a property name, its value; on the start of a container, everything up to
    /// its matching end (left as the current token); on anything else, nothing. Everything skipped is validated.</summary>
    public void Skip()
    {
        if (_tokenType == JsonTokenType.PropertyName) Read();
        if (_tokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        var end = ContainerEnd();
        if (end < 0)
        {
            // Malformed, too deep or truncated: token by token, which throws the exact error at its exact position.
            SkipByTokens();
            return;
        }
        Close(end, _json[end] == (byte)'}' ? JsonTokenType.EndObject : JsonTokenType.EndArray);
        _valueIsEscaped = false;
    }

    /// <summary><see cref="Skip"/> one <see cref="Read"/> at a time (the current token is a container's start).</summary>
    internal void SkipByTokens()
    {
        var depth = _depth;
        // The loop below needs no check of Read's result: inside a container Read either returns a token or throws.
        do Read();
        while (_depth >= depth);
    }

    /// <summary>The index of the bracket that closes the container whose start is the current token, or -1 when what
    /// lies before it is not exactly what <see cref="Read"/> would accept. The same grammar as Read, with the state in
    /// locals and no token recorded: skipping the unread parts of a pod (and the AdmissionReview envelope's whole
    /// request.object) is most of the tokenizer's work, and Read's per-token bookkeeping was most of that. Nothing
    /// here throws and no field changes, so a caller can fall back to Read for the error.</summary>
    internal readonly int ContainerEnd()
    {
        var json = _json;
        var i = _position;
        var depth = _depth;
        var objectBits = _objectBits;
        var stop = _depth;
        int b;
        // After an opening bracket: the container may be empty.
        Opened:
        i = SkipWhitespace(json, i);
        if ((uint)i >= (uint)json.Length) return -1;
        b = json[i];
        if (IsObjectLevel(objectBits, depth))
        {
            if (b == '}') goto Closed;
            goto Member;
        }
        if (b == ']') goto Closed;
        goto Value;

        // A member of an object: "name" : value.
        Member:
        if (b != '"') return -1;
        i = StringEnd(json, i);
        if (i < 0) return -1;
        i = SkipWhitespace(json, i + 1);
        if ((uint)i >= (uint)json.Length || json[i] != (byte)':') return -1;
        i = SkipWhitespace(json, i + 1);
        if ((uint)i >= (uint)json.Length) return -1;
        b = json[i];

        Value:
        switch (b)
        {
            case '{':
            case '[':
                if (depth >= _maxDepth) return -1;
                if (b == '{') objectBits |= 1UL << depth;
                else objectBits &= ~(1UL << depth);
                depth++;
                i++;
                goto Opened;
            case '"':
                i = StringEnd(json, i);
                if (i < 0) return -1;
                i++;
                break;
            case 't':
                if (!json[i..].StartsWith("true"u8)) return -1;
                i += 4;
                break;
            case 'f':
                if (!json[i..].StartsWith("false"u8)) return -1;
                i += 5;
                break;
            case 'n':
                if (!json[i..].StartsWith("null"u8)) return -1;
                i += 4;
                break;
            default:
                i = NumberEnd(json, i, out var problem);
                if (problem is not null) return -1;
                break;
        }

        // After a complete value: a separator or the end of the enclosing container.
        AfterValue:
        i = SkipWhitespace(json, i);
        if ((uint)i >= (uint)json.Length) return -1;
        b = json[i];
        var inObject = IsObjectLevel(objectBits, depth);
        if (b == ',')
        {
            i = SkipWhitespace(json, i + 1);
            if ((uint)i >= (uint)json.Length) return -1;
            b = json[i];
            if (inObject) goto Member;
            goto Value;
        }
        if (b != (inObject ? '}' : ']')) return -1;

        Closed:
        depth--;
        if (depth < stop) return i;
        i++;
        goto AfterValue;
    }

    /// <summary>The length of the JSON value at the start of <paramref name="json"/> (for an object, from its '{' to
    /// after its '}'), validated exactly as <see cref="Read"/> validates; -1 when it is malformed or truncated or nests
    /// deeper than <paramref name="maxDepth"/>. For callers that only step over a value, such as the AdmissionReview
    /// envelope over request.object: what follows the value is theirs to read.</summary>
    public static int MeasureValue(ReadOnlySpan<byte> json, int maxDepth)
    {
        if (maxDepth is < 1 or > DepthLimit) return -1;
        try
        {
            var scanner = new JsonScanner(json, maxDepth);
            scanner.Read();
            scanner.Skip();
            return scanner._position;
        }
        catch (JsonScanException)
        {
            return -1;
        }
    }
}
