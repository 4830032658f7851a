using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>Leaf field paths of an object in the fieldsV1 segment vocabulary ("f:spec", "k:{"name":"app"}"), joined by
/// U+001F so that label keys with dots stay one segment. Keyed list items (merge keys of <see cref="StrategicMergePatch"/>)
/// get a "k:" segment; other lists are atomic leaves, as in structured-merge-diff.</summary>
public static class FieldPaths
{
    public const char Separator = '\u001f';

    /// <summary>Identity and server-owned fields: never owned, never conflicting.</summary>
    private static readonly HashSet<string> Ignored =
    [
        "f:apiVersion", "f:kind", Join("f:metadata", "f:name"), Join("f:metadata", "f:namespace"), Join("f:metadata", "f:uid"),
        Join("f:metadata", "f:resourceVersion"), Join("f:metadata", "f:generation"), Join("f:metadata", "f:creationTimestamp"),
        Join("f:metadata", "f:managedFields"), Join("f:metadata", "f:deletionTimestamp"), Join("f:metadata", "f:deletionGracePeriodSeconds"),
    ];

    /// <summary>Path → the leaf value as compact JSON (to compare values across managers).</summary>
    public static Dictionary<string, string> Leaves(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", null, result);
        return result;
    }

    private static void Walk(JsonNode? node, string prefix, string? fieldName, Dictionary<string, string> into)
    {
        if (Ignored.Contains(prefix)) return;
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (key, value) in o) Walk(value, Append(prefix, "f:" + key), key, into);
                return;
            case JsonArray a when a.Count > 0 && fieldName is not null && StrategicMergePatch.MergeKeys.TryGetValue(fieldName, out var key)
                                  && key.Length > 0 && a.All(i => i is JsonObject io && io[key] is not null):
                foreach (var item in a.Cast<JsonObject>())
                    Walk(item, Append(prefix, $"k:{{\"{key}\":{JsonOutput.ToText(item[key]!)}}}"), null, into);
                return;
        }
        if (prefix.Length > 0) into[prefix] = node is null ? "null" : JsonOutput.ToText(node);
    }

    public static string Join(params string[] segments) => string.Join(Separator, segments);

    private static string Append(string prefix, string segment) => prefix.Length == 0 ? segment : prefix + Separator + segment;

    /// <summary>The form conflict messages use: .spec.containers[name="app"].image (pods-08 REQUEST 5).</summary>
    public static string Render(string path) => string.Concat(path.Split(Separator).Select(s =>
        s.StartsWith("k:", StringComparison.Ordinal)
            ? "[" + string.Join(",", ((JsonObject)JsonNode.Parse(s[2..])!).Select(p => $"{p.Key}={JsonOutput.ToText(p.Value!)}")) + "]"
            : "." + s[2..]));

    /// <summary>Removes the field at <paramref name="path"/> from <paramref name="root"/> if present.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var segments = path.Split(Separator);
        JsonNode? node = root;
        for (var i = 0; i < segments.Length - 1 && node is not null; i++) node = Step(node, segments[i]);
        var last = segments[^1];
        if (node is JsonObject o && last.StartsWith("f:", StringComparison.Ordinal)) o.Remove(last[2..]);
        else if (node is JsonArray a && Step(a, last) is { } item) a.Remove(item);
    }

    private static JsonNode? Step(JsonNode node, string segment)
    {
        if (segment.StartsWith("f:", StringComparison.Ordinal)) return (node as JsonObject)?[segment[2..]];
        var key = (JsonObject)JsonNode.Parse(segment[2..])!;
        return (node as JsonArray)?.FirstOrDefault(i => i is JsonObject io && key.All(k => JsonNode.DeepEquals(io[k.Key], k.Value)));
    }
}
