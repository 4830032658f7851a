using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>Reads integers whatever the JsonValue holds (parsed JSON, or an int/long set by the double's own code).</summary>
internal static class JsonNumbers
{
    /// <summary>The integer value, or null when the node is absent or not a number.</summary>
    public static long? AsLong(JsonNode? node) =>
        node is not null && node.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (long)decimal.Truncate(d)
            : null;
}
