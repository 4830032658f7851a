using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>ObjectMeta fields in the order kube-apiserver serializes them (pods-01 RESPONSE 2).</summary>
internal static class MetadataOrder
{
    private static readonly string[] Fields =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    /// <summary>A copy of <paramref name="metadata"/> with known fields in order, unknown ones after them.</summary>
    public static JsonObject Ordered(JsonObject metadata)
    {
        var ordered = new JsonObject();
        foreach (var field in Fields)
            if (metadata.TryGetPropertyValue(field, out var v)) ordered[field] = v?.DeepClone();
        foreach (var (k, v) in metadata)
            if (!ordered.ContainsKey(k)) ordered[k] = v?.DeepClone();
        return ordered;
    }
}
