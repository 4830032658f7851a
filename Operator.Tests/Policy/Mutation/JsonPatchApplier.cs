using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.Mutation;

/// <summary>A small, strict RFC 6902 applier over JsonNode (add, replace, remove, test) with RFC 6901 unescaping.
/// Like the API server's, "add" fails when the parent does not exist.</summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var result = document.DeepClone();
        foreach (var operation in patch)
        {
            var op = (string)operation!["op"]!;
            var path = (string)operation["path"]!;
            var tokens = path.Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
            if (tokens.Length == 0) throw new InvalidOperationException("whole-document operations are not used");
            var parent = result;
            foreach (var token in tokens[..^1])
                parent = parent switch
                {
                    JsonObject o => o.TryGetPropertyValue(token, out var child) && child is not null ? child : throw new InvalidOperationException($"{path}: missing parent \"{token}\""),
                    JsonArray a => a[int.Parse(token)] ?? throw new InvalidOperationException($"{path}: null parent"),
                    _ => throw new InvalidOperationException($"{path}: parent is a value"),
                };
            var last = tokens[^1];
            var value = operation["value"]?.DeepClone();
            switch (op, parent)
            {
                case ("add", JsonObject o): o[last] = value; break;
                case ("add", JsonArray a) when last == "-": a.Add(value); break;
                case ("add", JsonArray a): a.Insert(int.Parse(last), value); break;
                case ("replace", JsonObject o) when o.ContainsKey(last): o[last] = value; break;
                case ("remove", JsonObject o) when o.ContainsKey(last): o.Remove(last); break;
                default: throw new InvalidOperationException($"unsupported or failing operation {op} {path}");
            }
        }
        return result;
    }
}
