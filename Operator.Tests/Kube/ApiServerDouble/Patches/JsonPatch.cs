using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>RFC 6902 JSON patch (application/json-patch+json): add, remove, replace, move, copy, test, with RFC 6901
/// pointers (~0 = "~", ~1 = "/", "-" = append). Any failing operation fails the whole patch (pods-06: nothing applied).</summary>
public static class JsonPatch
{
    /// <summary>Applies every operation to a copy of <paramref name="document"/>; throws <see cref="JsonPatchException"/>.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() }; // a holder so "" (the whole document) has a parent
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op) throw new JsonPatchException("an operation is not an object");
            var name = op["op"]?.GetValue<string>() ?? throw new JsonPatchException("missing op");
            var path = Pointer(op, "path");
            switch (name)
            {
                case "add": Add(root, path, Value(op)); break;
                case "remove": Remove(root, path); break;
                case "replace": Remove(root, path); Add(root, path, Value(op)); break;
                case "move":
                {
                    var from = Pointer(op, "from");
                    var moved = Read(root, from);
                    Remove(root, from);
                    Add(root, path, moved.DeepClone());
                    break;
                }
                case "copy": Add(root, path, Read(root, Pointer(op, "from")).DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Read(root, path), Value(op))) throw new JsonPatchException($"test failed at {op["path"]}");
                    break;
                default: throw new JsonPatchException($"unknown op {name}");
            }
        }
        return root["doc"]!.DeepClone();
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new JsonPatchException("missing value");

    private static List<string> Pointer(JsonObject op, string member)
    {
        var text = op[member]?.GetValue<string>() ?? throw new JsonPatchException($"missing {member}");
        if (text.Length > 0 && text[0] != '/') throw new JsonPatchException($"bad pointer {text}");
        var tokens = new List<string> { "doc" };
        if (text.Length == 0) return tokens;
        tokens.AddRange(text[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")));
        return tokens;
    }

    private static JsonNode Read(JsonObject root, List<string> path)
    {
        JsonNode? node = root;
        foreach (var token in path) node = Child(node, token) ?? throw new JsonPatchException($"missing path /{string.Join('/', path.Skip(1))}");
        return node!;
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static void Add(JsonObject root, List<string> path, JsonNode? value)
    {
        var parent = Read(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count: a.Insert(i, value); break;
            default: throw new JsonPatchException($"cannot add at {last}");
        }
    }

    private static void Remove(JsonObject root, List<string> path)
    {
        var parent = Read(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last): o.Remove(last); break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count: a.RemoveAt(i); break;
            default: throw new JsonPatchException($"missing path {last}");
        }
    }
}

public sealed class JsonPatchException(string message) : Exception(message);
