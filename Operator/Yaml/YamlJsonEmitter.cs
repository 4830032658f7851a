using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecurityOperator.Yaml;

/// <summary>Writes one document's node tree as compact JSON: aliases are expanded (bounded by
/// <see cref="YamlLimits.MaxOutputBytes"/> and <see cref="YamlLimits.MaxDepth"/>), "&lt;&lt;" merge keys applied,
/// non-string keys turned into strings as sigs.k8s.io/yaml does, duplicate keys rejected.</summary>
internal sealed class YamlJsonEmitter
{
    // Relaxed escaping keeps non-ASCII text and characters like '<' or '+' readable in messages; the output is still
    // valid JSON (quotes, backslashes and control characters are escaped).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = 0,
    };

    private readonly string _source;
    private readonly YamlLimits _limits;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;

    private YamlJsonEmitter(string source, YamlLimits limits)
    {
        _source = source;
        _limits = limits;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions with { MaxDepth = limits.MaxDepth + 1 });
    }

    public static byte[] Emit(YamlNode root, string source, YamlLimits limits)
    {
        var emitter = new YamlJsonEmitter(source, limits);
        emitter.Write(root, 0);
        emitter._writer.Flush();
        return emitter._buffer.WrittenSpan.ToArray();
    }

    private YamlException Error(YamlNode node, string problem) => new(_source, node.Line, node.Column, problem);

    private void Write(YamlNode node, int depth)
    {
        if (_writer.BytesPending + _writer.BytesCommitted > _limits.MaxOutputBytes)
        {
            throw Error(node, $"the document expands to more than {_limits.MaxOutputBytes} bytes of JSON (too many aliases?)");
        }

        switch (node.Kind)
        {
            case YamlNodeKind.Alias:
                Write(node.Target!, depth);
                return;
            case YamlNodeKind.Scalar:
                WriteScalar(node);
                return;
        }

        if (depth >= _limits.MaxDepth)
        {
            throw Error(node, $"collections are nested deeper than {_limits.MaxDepth} levels (after alias expansion)");
        }

        if (node.Kind == YamlNodeKind.Sequence)
        {
            _writer.WriteStartArray();
            foreach (YamlNode item in node.Items)
            {
                Write(item, depth + 1);
            }

            _writer.WriteEndArray();
            return;
        }

        _writer.WriteStartObject();
        foreach (MappingEntry entry in MappingEntries(node, depth))
        {
            _writer.WritePropertyName(entry.Key);
            Write(entry.Value, depth + 1);
        }

        _writer.WriteEndObject();
    }

    private void WriteScalar(YamlNode node)
    {
        if (!YamlScalarResolver.TryResolve(node, out YamlScalar scalar, out string? error))
        {
            throw Error(node, error!);
        }

        switch (scalar.Type)
        {
            case YamlScalarType.Null:
                _writer.WriteNullValue();
                break;
            case YamlScalarType.Bool:
                _writer.WriteBooleanValue(scalar.Bool);
                break;
            case YamlScalarType.Int when scalar.IsUnsigned:
                _writer.WriteNumberValue(scalar.UInt);
                break;
            case YamlScalarType.Int:
                _writer.WriteNumberValue(scalar.Int);
                break;
            case YamlScalarType.Float:
                if (!double.IsFinite(scalar.Float))
                {
                    throw Error(node, $"'{node.Value}' (NaN or infinity) cannot be represented in JSON");
                }

                _writer.WriteRawValue(GoFloatFormat.Json(scalar.Float), skipInputValidation: true);
                break;
            default:
                _writer.WriteStringValue(scalar.Text);
                break;
        }
    }

    internal readonly record struct MappingEntry(string Key, YamlNode Value);

    /// <summary>The mapping's effective entries: its own keys first (duplicates are errors), then keys brought in by
    /// "&lt;&lt;" merges that are not already present (earlier merge sources win over later ones), as YAML's merge key
    /// type specifies.</summary>
    internal List<MappingEntry> MappingEntries(YamlNode mapping, int depth)
    {
        if (depth >= _limits.MaxDepth)
        {
            throw Error(mapping, $"merge keys are nested deeper than {_limits.MaxDepth} levels");
        }

        var entries = new List<MappingEntry>(mapping.Pairs.Count);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        List<YamlNode>? merges = null;
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Pairs)
        {
            if (IsMergeKey(keyNode))
            {
                (merges ??= []).Add(value);
                continue;
            }

            string key = KeyText(keyNode);
            if (!firstLine.TryAdd(key, keyNode.Line))
            {
                throw Error(keyNode, $"duplicate mapping key \"{key}\" (first defined at line {firstLine[key]})");
            }

            entries.Add(new MappingEntry(key, value));
        }

        foreach (YamlNode merge in merges ?? [])
        {
            foreach (YamlNode source in MergeSources(merge))
            {
                foreach (MappingEntry inherited in MappingEntries(source, depth + 1))
                {
                    if (firstLine.TryAdd(inherited.Key, source.Line))
                    {
                        entries.Add(inherited);
                    }
                }
            }
        }

        return entries;
    }

    private static bool IsMergeKey(YamlNode key) =>
        key.Kind == YamlNodeKind.Scalar && key.Style == YamlScalarStyle.Plain && key.Tag is null && key.Value == "<<";

    private IEnumerable<YamlNode> MergeSources(YamlNode merge)
    {
        YamlNode value = merge.Resolved;
        if (value.Kind == YamlNodeKind.Mapping)
        {
            return [value];
        }

        if (value.Kind == YamlNodeKind.Sequence && value.Items.TrueForAll(i => i.Resolved.Kind == YamlNodeKind.Mapping))
        {
            return value.Items.Select(i => i.Resolved);
        }

        throw Error(merge, "a merge key '<<' needs a mapping, an alias to one, or a list of them");
    }

    /// <summary>sigs.k8s.io/yaml turns non-string keys into strings: ints in decimal, bools as true/false, floats with
    /// FormatFloat(f, 'g', -1, 32); null and collection keys are errors.</summary>
    private string KeyText(YamlNode keyNode)
    {
        YamlNode key = keyNode.Resolved;
        if (key.Kind != YamlNodeKind.Scalar)
        {
            throw Error(keyNode, "a mapping or sequence cannot be used as a mapping key in JSON");
        }

        if (!YamlScalarResolver.TryResolve(key, out YamlScalar scalar, out string? error))
        {
            throw Error(keyNode, error!);
        }

        return scalar.Type switch
        {
            YamlScalarType.String => scalar.Text,
            YamlScalarType.Bool => scalar.Bool ? "true" : "false",
            YamlScalarType.Int => scalar.IsUnsigned ? scalar.UInt.ToString(System.Globalization.CultureInfo.InvariantCulture) : scalar.Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
            YamlScalarType.Float => GoFloatFormat.Key(scalar.Float),
            _ => throw Error(keyNode, "a null mapping key cannot be converted to JSON"),
        };
    }

    /// <summary>Lines of the items of a top-level "items" sequence (List kinds), or empty.</summary>
    public static int[] ItemLines(YamlNode root, string source, YamlLimits limits)
    {
        YamlNode mapping = root.Resolved;
        if (mapping.Kind != YamlNodeKind.Mapping)
        {
            return [];
        }

        var emitter = new YamlJsonEmitter(source, limits);
        foreach (MappingEntry entry in emitter.MappingEntries(mapping, 0))
        {
            if (entry.Key == "items" && entry.Value.Resolved.Kind == YamlNodeKind.Sequence)
            {
                return entry.Value.Kind == YamlNodeKind.Alias
                    ? Enumerable.Repeat(entry.Value.Line, entry.Value.Resolved.Items.Count).ToArray()
                    : entry.Value.ItemLines.ToArray();
            }
        }

        return [];
    }
}
