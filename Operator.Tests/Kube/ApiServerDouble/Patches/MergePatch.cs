using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>RFC 7386 JSON merge patch (application/merge-patch+json): objects merge recursively, null removes a key,
/// everything else (lists included) replaces (pods-05, pods-07 REQUEST 2).</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Apply(result.TryGetPropertyValue(key, out var existing) ? existing : null, value);
        }
        return result;
    }
}
