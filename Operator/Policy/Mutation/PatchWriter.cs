using System.Buffers;
using System.Text.Json;

namespace SecurityOperator.Policy.Mutation;

/// <summary>Writes RFC 6902 "add" operations as a JSON array.</summary>
internal sealed class PatchWriter : IDisposable
{
    private readonly Utf8JsonWriter _writer;

    public PatchWriter(IBufferWriter<byte> output)
    {
        _writer = new Utf8JsonWriter(output);
        _writer.WriteStartArray();
    }

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="path"/> with a value written by <paramref name="value"/>.</summary>
    public void Add(string path, Action<Utf8JsonWriter> value)
    {
        _writer.WriteStartObject();
        _writer.WriteString("op", "add");
        _writer.WriteString("path", path);
        _writer.WritePropertyName("value");
        value(_writer);
        _writer.WriteEndObject();
        Count++;
    }

    public void Dispose()
    {
        _writer.WriteEndArray();
        _writer.Flush();
        _writer.Dispose();
    }
}
