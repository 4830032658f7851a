using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer.Patches;
using SecurityOperator.Tests.Kube.ApiServer.Validation;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

/// <summary>The four patch content types kube-apiserver accepts.</summary>
public enum PatchKind { Json, Merge, Strategic, Apply }

internal sealed partial class ObjectOperations
{
    public static PatchKind? PatchKindOf(string? contentType) => MediaType(contentType) switch
    {
        "application/json-patch+json" => PatchKind.Json,
        "application/merge-patch+json" => PatchKind.Merge,
        "application/strategic-merge-patch+json" => PatchKind.Strategic,
        "application/apply-patch+yaml" => PatchKind.Apply,
        _ => null,
    };

    public static string MediaType(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>PATCH. Checks in the order the recordings show: media type (415, crd-03), fieldManager for apply (422,
    /// pods-08 REQUEST 2), decoding (400, pods-06 REQUEST 4), existence (404 or create-by-apply), the patch itself (422 for
    /// JSON patch, pods-06), then a resourceVersion left in the result is a precondition (409, pods-05 REQUEST 2).</summary>
    public WriteResult Patch(ResourceType type, string @namespace, string name, string? subresource, string? contentType,
        byte[] body, WriteContext write, bool force)
    {
        var kind = PatchKindOf(contentType);
        if (kind is null || (kind == PatchKind.Strategic && type.IsCustom)) throw StatusErrors.UnsupportedPatch(!type.IsCustom);
        if (kind == PatchKind.Apply && write.FieldManager.Length == 0)
            throw StatusErrors.InvalidOptions("PatchOptions", [FieldCause.Required("fieldManager", "is required for apply patch")]);
        var patch = DecodePatch(kind.Value, body);

        var createdByApply = store.Write<WriteResult?>(tx =>
        {
            var current = tx.Get(type, type.Namespaced ? @namespace : "", name);
            if (current is null)
            {
                if (kind == PatchKind.Apply && subresource is null) return null;
                throw StatusErrors.NotFound(type, name); // pods-05 REQUEST 3: PATCH never creates (apply aside)
            }
            var currentNode = current.Clone();
            ManagedFieldSet? managers = null;
            JsonObject patched;
            switch (kind)
            {
                case PatchKind.Json:
                    try { patched = JsonPatch.Apply(currentNode, (JsonArray)patch!) as JsonObject ?? throw new JsonPatchException("not an object"); }
                    catch (Exception e) when (e is JsonPatchException or InvalidOperationException or FormatException)
                    { throw StatusErrors.JsonPatchFailed(); }
                    break;
                case PatchKind.Merge:
                    patched = MergePatch.Apply(currentNode, patch) as JsonObject ?? throw StatusErrors.BadRequest("the patch replaced the object with a non-object");
                    break;
                case PatchKind.Strategic:
                    patched = StrategicMergePatch.Apply(currentNode, patch) as JsonObject ?? throw StatusErrors.BadRequest("the patch replaced the object with a non-object");
                    break;
                default:
                {
                    var config = (JsonObject)patch!;
                    var applied = ServerSideApply.Apply(currentNode, current.Managers, config, write.FieldManager,
                        force, type.ApiVersion);
                    patched = applied.Object;
                    managers = applied.Managers;
                    break;
                }
            }
            var rv = patched["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(rv) && rv != current.ResourceVersion.ToString()) throw StatusErrors.Conflict(type, name);
            KindRules.Decode(type, patched);
            return CommitUpdate(tx, current, patched, subresource, write, managers);
        });
        if (createdByApply is not null) return createdByApply;

        // pods-08 REQUEST 3: apply on a missing object creates it (201).
        var configForCreate = (JsonObject)patch!;
        return Create(type, @namespace, WithIdentity(configForCreate, name), write, applyConfig: configForCreate);
    }

    private static JsonObject WithIdentity(JsonObject config, string name)
    {
        var copy = (JsonObject)config.DeepClone();
        ObjectShape.Metadata(copy)["name"] = name;
        return copy;
    }

    private static JsonNode? DecodePatch(PatchKind kind, byte[] body)
    {
        if (kind == PatchKind.Apply)
        {
            try { return ApplyYaml.Parse(Encoding.UTF8.GetString(body)); }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
            { throw StatusErrors.BadRequest($"error decoding YAML: {e.Message}"); }
        }
        JsonNode? node;
        try { node = JsonNode.Parse(body); }
        catch (JsonException e) { throw StatusErrors.BadRequest($"error decoding patch: {e.Message}"); }
        if (kind == PatchKind.Json && node is not JsonArray and not null)
        {
            // pods-06 REQUEST 4: Go's decoder names the JSON type it found.
            var found = node.GetValueKind() switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                _ => "bool",
            };
            throw StatusErrors.BadRequest($"error decoding patch: json: cannot unmarshal {found} into Go value of type []handlers.jsonPatchOp");
        }
        return node ?? (kind == PatchKind.Json ? new JsonArray() : new JsonObject());
    }
}
