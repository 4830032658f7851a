using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

/// <summary>Puts objects in the shape kube-apiserver serves them: kind, apiVersion, metadata first; metadata fields in
/// ObjectMeta order (pods-01 RESPONSE 2); server-owned metadata only from the server.</summary>
internal static class ObjectShape
{

    /// <summary>Fields clients may send but only the server sets (managedFields is not rendered by the double, see ManagedFieldSet).</summary>
    private static readonly string[] ServerOwned =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"];

    public static JsonObject Metadata(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string? Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>();

    public static void StripServerOwned(JsonObject metadata)
    {
        foreach (var field in ServerOwned) metadata.Remove(field);
    }

    /// <summary>Copies the server-owned metadata of <paramref name="from"/> (an update keeps uid, creationTimestamp ...).</summary>
    public static void CopyServerOwned(JsonObject from, JsonObject to)
    {
        StripServerOwned(to);
        foreach (var field in ServerOwned)
            if (from[field] is { } value) to[field] = value.DeepClone();
        to.Remove("managedFields");
    }

    /// <summary>kind and apiVersion first, then metadata in ObjectMeta order, then the rest as sent.</summary>
    public static JsonObject Canonical(ResourceType type, JsonObject obj)
    {
        var metadata = Metadata(obj);
        // Go's omitempty: empty maps and lists are not served (pods-06 REQUEST 1 removes the last annotation).
        foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
            if (metadata[field] is JsonObject { Count: 0 } or JsonArray { Count: 0 }) metadata.Remove(field);
        var orderedMetadata = MetadataOrder.Ordered(metadata);
        var result = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = orderedMetadata };
        foreach (var (k, v) in obj)
            if (k is not ("kind" or "apiVersion" or "metadata")) result[k] = v?.DeepClone();
        return result;
    }

    /// <summary>metav1.Time: RFC 3339 in UTC with whole seconds ("2026-11-22T11:22:30Z").</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>generateName suffix: 5 characters from apimachinery's alphabet (no vowels, no confusable digits).</summary>
    public static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        });
    }

    /// <summary>Everything except metadata and status: what a generation bump looks at.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = new JsonObject();
            foreach (var (k, v) in o)
                if (k is not ("metadata" or "status" or "kind" or "apiVersion")) copy[k] = v?.DeepClone();
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(before), Strip(after));
    }

    /// <summary>Equal apart from resourceVersion: such a write is a no-op (crd-03 REQUEST 2, watch-07: no event).</summary>
    public static bool SameContent(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        Metadata(x).Remove("resourceVersion");
        Metadata(y).Remove("resourceVersion");
        return JsonNode.DeepEquals(JsonOutput.SortKeys(x), JsonOutput.SortKeys(y));
    }
}
