using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>
/// Applies the corpus' edits to a pod: each edit is a JSON Pointer (RFC 6901, so "/" inside an annotation key is
/// written "~1") and a value. Missing parents are created (an array when the next step is a number or "-", an object
/// otherwise); index == length or "-" appends; a null value removes the member or element.
/// Edits instead of whole pods keep each case down to the one field it is about.
/// </summary>
internal static class PodSecurityFixtureEdits
{
    public static void Apply(JsonNode root, string pointer, JsonNode? value)
    {
        var segments = Parse(pointer);
        if (segments.Count == 0)
        {
            throw new FormatException($"edit pointer '{pointer}': must name a member, not the whole pod");
        }

        var current = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            current = Descend(current, segments[i], segments[i + 1], pointer);
        }

        SetOrRemove(current, segments[^1], value?.DeepClone(), pointer);
    }

    private static List<string> Parse(string pointer)
    {
        if (!pointer.StartsWith('/'))
        {
            throw new FormatException($"edit pointer '{pointer}': must start with '/'");
        }

        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    private static JsonNode Descend(JsonNode current, string segment, string next, string pointer)
    {
        switch (current)
        {
            case JsonObject obj:
                if (obj[segment] is { } existing)
                {
                    return existing;
                }

                JsonNode created = IsArrayStep(next) ? new JsonArray() : new JsonObject();
                obj[segment] = created;
                return created;
            case JsonArray array:
                var index = ArrayIndex(array, segment, pointer);
                if (index == array.Count)
                {
                    JsonNode appended = IsArrayStep(next) ? new JsonArray() : new JsonObject();
                    array.Add(appended);
                    return appended;
                }

                return array[index] ?? throw new FormatException($"edit pointer '{pointer}': element {index} is null");
            default:
                throw new FormatException($"edit pointer '{pointer}': '{segment}' is below a scalar value");
        }
    }

    private static void SetOrRemove(JsonNode parent, string segment, JsonNode? value, string pointer)
    {
        switch (parent)
        {
            case JsonObject obj when value is null:
                if (!obj.Remove(segment))
                {
                    throw new FormatException($"edit pointer '{pointer}': nothing to remove at '{segment}'");
                }

                break;
            case JsonObject obj:
                obj[segment] = value;
                break;
            case JsonArray array:
                var index = ArrayIndex(array, segment, pointer);
                if (value is null)
                {
                    if (index == array.Count)
                    {
                        throw new FormatException($"edit pointer '{pointer}': nothing to remove at index {index}");
                    }

                    array.RemoveAt(index);
                }
                else if (index == array.Count)
                {
                    array.Add(value);
                }
                else
                {
                    array[index] = value;
                }

                break;
            default:
                throw new FormatException($"edit pointer '{pointer}': '{segment}' is below a scalar value");
        }
    }

    private static bool IsArrayStep(string segment) => segment == "-" || (segment.Length > 0 && segment.All(char.IsAsciiDigit));

    private static int ArrayIndex(JsonArray array, string segment, string pointer)
    {
        if (segment == "-")
        {
            return array.Count;
        }

        if (!int.TryParse(segment, out var index) || index < 0 || index > array.Count)
        {
            throw new FormatException(
                $"edit pointer '{pointer}': '{segment}' is not an index of an array of {array.Count} (use 0..{array.Count} or '-')");
        }

        return index;
    }
}
