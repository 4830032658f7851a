using System.Text.Json;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>Walks the UTF-8 JSON of a pod or pod template (an object with metadata and spec) once, forward only, with
/// <see cref="JsonScanner"/> (the same tokens as Utf8JsonReader, faster), and fills <see cref="PodFacts"/>. Unknown fields are skipped; fields it reads must
/// have their Kubernetes JSON types (a wrong type is an error naming the field, never a guess).</summary>
internal ref partial struct PodFactReader
{
    private JsonScanner _reader;
    private readonly PodFacts _facts;
    private ReadScope _scope;
    private ContainerSection _section;
    private int _itemIndex;
    // The current property name, unescaped: compared with plain SequenceEqual, much cheaper than ValueTextEquals.
    private ReadOnlySpan<byte> _name;

    private PodFactReader(ReadOnlySpan<byte> json, PodFacts facts, EvaluationLimits limits)
    {
        _reader = new JsonScanner(json, Math.Min(limits.MaxDepth, JsonScanner.DepthLimit));
        _facts = facts;
    }

    private PodFactReader(JsonScanner positioned, PodFacts facts)
    {
        _reader = positioned;
        _facts = facts;
    }

    /// <summary>Collects the facts of <paramref name="json"/>. On failure <paramref name="error"/> says what and where;
    /// no exception escapes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, PodFacts facts, EvaluationLimits limits, out string? error)
    {
        facts.Reset();
        if (json.Length > limits.MaxBytes)
        {
            error = $"object is {json.Length} bytes, over the limit of {limits.MaxBytes} bytes";
            return false;
        }
        var reader = new PodFactReader(json, facts, limits);
        try
        {
            reader.ReadRoot();
            error = null;
            return true;
        }
        catch (Exception e) when (e is FactReadException or JsonException)
        {
            error = ErrorText(e);
        }
        facts.Reset();
        return false;
    }

    /// <summary>Collects the facts of the pod template at which <paramref name="scanner"/> stands (its StartObject) and
    /// leaves the scanner on the template's EndObject: a workload's template is read where it is found, in the same pass
    /// that found it, instead of being skipped to learn its length and then read again. Positions in errors are those of
    /// the whole object. No exception escapes.</summary>
    public static bool TryReadInPlace(ref JsonScanner scanner, PodFacts facts, out string? error)
    {
        facts.Reset();
        var reader = new PodFactReader(scanner, facts);
        try
        {
            reader.ReadTemplateMembers();
            scanner = reader._reader;
            error = null;
            return true;
        }
        catch (Exception e) when (e is FactReadException or JsonException)
        {
            error = ErrorText(e);
        }
        facts.Reset();
        return false;
    }

    // A JsonException is malformed JSON or nesting over the depth limit; the scanner's message carries the position.
    private static string ErrorText(Exception e) => e is FactReadException ? e.Message : $"malformed JSON: {e.Message}";

    private void ReadRoot()
    {
        Next();
        if (_reader.TokenType != JsonTokenType.StartObject)
            throw new FactReadException($"expected a JSON object (a pod or pod template), found {Describe(_reader.TokenType)}");
        ReadTemplateMembers();
        // The scanner rejects trailing non-whitespace itself; this consumes the rest so that it does.
        while (_reader.Read()) { }
    }

    /// <summary>From the StartObject of a pod or template to its EndObject.</summary>
    private void ReadTemplateMembers()
    {
        while (NextProperty())
        {
            if (Is("metadata"u8)) { _scope = ReadScope.Metadata; if (EnterObject("metadata")) ReadMetadata(); }
            else if (Is("spec"u8)) { _scope = ReadScope.Spec; if (EnterObject("spec")) ReadSpec(); }
            else _reader.Skip();
        }
    }

    private void Next()
    {
        // Called per token: the throw lives in a helper so this stays small enough to inline.
        if (!_reader.Read()) ThrowEndOfData();
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowEndOfData() => throw new FactReadException("malformed JSON: unexpected end of data");

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private bool NextProperty()
    {
        // Inside an object Read gives a property name or the object's end (or throws): never false, never another token.
        if (!_reader.ReadNextProperty()) return false;
        _name = _reader.ValueIsEscaped ? UnescapedName() : _reader.ValueSpan;
        return true;
    }

    /// <summary>Rare: an escaped property name, unescaped into spare room of the text buffer (not committed; only
    /// compared before anything else is copied).</summary>
    private readonly ReadOnlySpan<byte> UnescapedName()
    {
        var destination = _facts.ReserveText(_reader.ValueSpan.Length, out _);
        return destination[.._reader.CopyString(destination)];
    }

    /// <summary>Moves to the next element of the current array; false at its end.</summary>
    private bool NextElement()
    {
        Next();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    private readonly bool Is(ReadOnlySpan<byte> name) => _name.SequenceEqual(name);

    /// <summary>First byte of the current property name: a cheap pre-dispatch so that unknown fields (most of a real
    /// pod: imagePullPolicy, terminationMessagePath, ...) are skipped after one comparison instead of a dozen.</summary>
    private readonly byte First => _name.Length > 0 ? _name[0] : (byte)0;

    /// <summary>Reads the value after a property name; true when it is an object, false when null.</summary>
    private bool EnterObject(string field)
    {
        Next();
        if (_reader.TokenType == JsonTokenType.StartObject) return true;
        if (_reader.TokenType == JsonTokenType.Null) return false;
        throw TypeError(field, "an object");
    }

    private bool EnterArray(string field)
    {
        Next();
        if (_reader.TokenType == JsonTokenType.StartArray) return true;
        if (_reader.TokenType == JsonTokenType.Null) return false;
        throw TypeError(field, "an array");
    }

    /// <summary>Array element that must be an object; null elements are skipped (false).</summary>
    private readonly bool ElementIsObject(string field)
    {
        if (_reader.TokenType == JsonTokenType.StartObject) return true;
        if (_reader.TokenType == JsonTokenType.Null) return false;
        throw TypeError(field, "an object");
    }

    private bool? ReadBool(string field)
    {
        Next();
        return _reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw TypeError(field, "a boolean"),
        };
    }

    private long? ReadInt64(string field)
    {
        Next();
        if (_reader.TokenType == JsonTokenType.Null) return null;
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt64(out var value)) return value;
        throw TypeError(field, "an integer");
    }

    private int ReadInt32(string field)
    {
        Next();
        if (_reader.TokenType == JsonTokenType.Null) return 0;
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out var value)) return value;
        throw TypeError(field, "a 32-bit integer");
    }

    /// <summary>Reads a string value (after a property name or as an array element when <paramref name="advance"/> is false).</summary>
    private TextRange ReadString(string field, bool advance = true)
    {
        // After a property name Read gives a value or throws, never false: ReadStringValue is false on any other value.
        if (advance ? !_reader.ReadStringValue() : _reader.TokenType != JsonTokenType.String)
        {
            if (_reader.TokenType == JsonTokenType.Null) return TextRange.None;
            throw TypeError(field, "a string");
        }
        return CopyCurrent();
    }

    /// <summary>Copies the current string or property name, unescaped, into the facts' text buffer.</summary>
    private readonly TextRange CopyCurrent()
    {
        var raw = _reader.ValueSpan;
        var destination = _facts.ReserveText(raw.Length, out var start);
        var length = _reader.ValueIsEscaped ? _reader.CopyString(destination) : Copy(raw, destination);
        return _facts.CommitText(start, length);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private readonly FactReadException TypeError(string field, string expected) =>
        new($"{Where()}{field}: expected {expected}, found {Describe(_reader.TokenType)}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The field path prefix of the current position, for error messages only.</summary>
    private readonly string Where() => _scope switch
    {
        ReadScope.Metadata => "metadata.",
        ReadScope.Spec => "spec.",
        ReadScope.PodSecurityContext => "spec.securityContext.",
        ReadScope.Volume => $"spec.volumes[{_itemIndex}].",
        ReadScope.Container => $"spec.{_section.FieldName()}[{_itemIndex}].",
        ReadScope.ContainerSecurityContext => $"spec.{_section.FieldName()}[{_itemIndex}].securityContext.",
        _ => "",
    };

    private enum ReadScope : byte { Root, Metadata, Spec, PodSecurityContext, Volume, Container, ContainerSecurityContext }
}

/// <summary>Bad input found while collecting facts; caught by <see cref="PodFactReader.TryRead"/>.</summary>
internal sealed class FactReadException(string message) : Exception(message);
