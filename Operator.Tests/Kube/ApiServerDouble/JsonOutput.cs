using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>Compact JSON the way the server puts it on the wire (INDEX.md: one line, non-ASCII kept as UTF-8).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static string ToText(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>/version is always indented (discovery-01).</summary>
    public static byte[] ToIndentedBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Indented);

    /// <summary>A deep copy whose objects and arrays are all built eagerly. Nodes parsed from JSON fill their property
    /// tables lazily on first access, which is not safe when several requests read a stored object at once.</summary>
    public static JsonNode? Freeze(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Freeze(p.Value))).ToList()),
        JsonArray a => new JsonArray(a.Select(Freeze).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Custom resources come back with object keys in alphabetical order at every level (crd-02).</summary>
    public static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(x => SortKeys(x?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}
