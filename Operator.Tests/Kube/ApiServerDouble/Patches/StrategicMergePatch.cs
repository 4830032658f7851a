using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>application/strategic-merge-patch+json for built-in kinds, reduced to the lists the operator patches: a list
/// whose field name has a patchMergeKey in the Go types is merged item by item on that key; every other list is
/// replaced, as with merge patch (pods-07: containers merge by name, tolerations are replaced). Supported directives:
/// "$patch": "delete" on a keyed list item, "$patch": "replace" on a map. Not supported: $retainKeys,
/// $deleteFromPrimitiveList, $setElementOrder (the double drops them).</summary>
public static class StrategicMergePatch
{
    /// <summary>Field name → merge key, from the patchMergeKey struct tags of k8s.io/api core/v1 and apps/v1.</summary>
    public static readonly IReadOnlyDictionary<string, string> MergeKeys = new Dictionary<string, string>
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["finalizers"] = "",        // a set of strings: merged as a union
        ["ownerReferences"] = "uid",
    };

    public static JsonNode? Apply(JsonNode? original, JsonNode? patch) => MergeValue(original, patch, fieldName: null);

    private static JsonNode? MergeValue(JsonNode? original, JsonNode? patch, string? fieldName)
    {
        if (patch is JsonObject po)
        {
            if (po["$patch"]?.GetValue<string>() == "replace")
            {
                var replaced = (JsonObject)po.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            }
            var result = original is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();
            foreach (var (key, value) in po)
            {
                if (key.StartsWith('$')) continue;
                if (value is null) { result.Remove(key); continue; }
                result[key] = MergeValue(result.TryGetPropertyValue(key, out var existing) ? existing : null, value, key);
            }
            return result;
        }
        if (patch is JsonArray pa && fieldName is not null && MergeKeys.TryGetValue(fieldName, out var mergeKey) && original is JsonArray oa)
            return mergeKey.Length == 0 ? Union(oa, pa) : MergeList(oa, pa, mergeKey);
        return patch?.DeepClone();
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, string key)
    {
        var result = new JsonArray(original.Select(n => n?.DeepClone()).ToArray());
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[key] is not { } keyValue)
            {
                result.Add(item?.DeepClone());
                continue;
            }
            var index = IndexOf(result, key, keyValue);
            if (patchItem["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0) result.RemoveAt(index);
                continue;
            }
            if (index >= 0) result[index] = MergeValue(result[index], patchItem, null);
            else result.Add(MergeValue(null, patchItem, null)); // new items are appended after the existing ones
        }
        return result;
    }

    private static int IndexOf(JsonArray list, string key, JsonNode keyValue)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[key], keyValue)) return i;
        return -1;
    }

    private static JsonArray Union(JsonArray original, JsonArray patch)
    {
        var result = new JsonArray(original.Select(n => n?.DeepClone()).ToArray());
        foreach (var item in patch)
            if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
        return result;
    }
}
