using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Selectors;

/// <summary>A parsed fieldSelector: "field=value", "field==value", "field!=value", comma-separated and ANDed. Only the
/// fields a kind declares are allowed; anything else is 400 "field label not supported: X" (pods-04 REQUEST 5). A missing
/// field reads as "" so "spec.nodeName=" selects unscheduled pods (pods-04 REQUEST 3).</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Negated)> _terms;

    private FieldSelector(List<(string, string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>Throws <see cref="FormatException"/> with the message the server sends in its 400 Status.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<(string, string, bool)>();
        foreach (var part in text.Split(','))
        {
            var term = part.Trim();
            if (term.Length == 0) continue;
            string field, value;
            bool negated;
            var ne = term.IndexOf("!=", StringComparison.Ordinal);
            var eq = term.IndexOf('=');
            if (ne >= 0 && ne < eq) { field = term[..ne]; value = term[(ne + 2)..]; negated = true; }
            else if (eq >= 0)
            {
                field = term[..eq];
                value = term[(eq + 1)..];
                if (value.StartsWith('=')) value = value[1..];
                negated = false;
            }
            else throw new FormatException($"invalid selector: '{text}'; can't understand '{term}'");
            if (field != "metadata.name" && field != "metadata.namespace" && !type.SelectableFields.Contains(field))
                throw new FormatException($"field label not supported: {field}");
            terms.Add((field, value, negated));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, negated) in _terms)
        {
            var actual = Read(obj, field);
            if ((actual == value) == negated) return false;
        }
        return true;
    }

    private static string Read(JsonObject obj, string path)
    {
        // core Event "source" selects source.component (the field label is an alias in the events registry).
        if (path == "source") path = "source.component";
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var next) ? next : null;
            if (node is null) return path.EndsWith("hostNetwork", StringComparison.Ordinal) ? "false" : "";
        }
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }
}
