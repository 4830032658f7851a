using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer.Patches;
using SecurityOperator.Tests.Kube.ApiServer.Validation;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

internal sealed partial class ObjectOperations
{
    /// <summary>PUT of the object or its status subresource.</summary>
    public WriteResult Replace(ResourceType type, string @namespace, string name, string? subresource, JsonObject body, WriteContext write)
    {
        KindRules.Decode(type, body);
        var bodyName = ObjectShape.Name(body);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
            throw StatusErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var bodyNamespace = body["metadata"]?["namespace"]?.GetValue<string>();
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != @namespace)
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");

        var created = store.Write<WriteResult?>(tx =>
        {
            var current = tx.Get(type, type.Namespaced ? @namespace : "", name);
            if (current is null) return null;
            var rv = body["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (string.IsNullOrEmpty(rv))
            {
                // Custom resources need the resourceVersion on update; most built-ins take an unconditional PUT (pods-09 REQUEST 5).
                if (!type.AllowUnconditionalUpdate)
                    throw StatusErrors.Invalid(type, name, [FieldCause.InvalidValue("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
            else if (rv != current.ResourceVersion.ToString()) throw StatusErrors.Conflict(type, name); // pods-09 REQUEST 3
            var proposed = (JsonObject)body.DeepClone();
            return CommitUpdate(tx, current, proposed, subresource, write, managersOverride: null);
        });
        if (created is not null) return created;
        if (!type.AllowCreateOnUpdate || subresource is not null) throw StatusErrors.NotFound(type, name);
        return Create(type, @namespace, body, write);
    }

    /// <summary>The shared tail of PUT and PATCH: keep what the client may not change, apply the status-subresource split
    /// (crd-03), validate, bump generation on spec changes, drop no-ops (crd-03 REQUEST 2), finish a pending deletion once
    /// the last finalizer is gone, and commit.</summary>
    private WriteResult CommitUpdate(StoreTransaction tx, StoredObject current, JsonObject proposed, string? subresource,
        WriteContext write, ManagedFieldSet? managersOverride)
    {
        var type = current.Type;
        var currentNode = current.Clone();
        ObjectShape.CopyServerOwned((JsonObject)currentNode["metadata"]!, ObjectShape.Metadata(proposed));
        var metadata = ObjectShape.Metadata(proposed);
        metadata["name"] = current.Name;
        if (type.Namespaced) metadata["namespace"] = current.Namespace; else metadata.Remove("namespace");

        JsonObject next;
        if (subresource == "status")
        {
            // /status writes change only status (crd-02 REQUEST 2, pods-11 REQUEST 5).
            next = (JsonObject)currentNode.DeepClone();
            if (proposed["status"] is { } status) next["status"] = status.DeepClone(); else next.Remove("status");
        }
        else
        {
            next = proposed;
            if (type.HasStatusSubresource)
            {
                // The main resource ignores status (crd-03 REQUEST 1).
                if (currentNode["status"] is { } kept) next["status"] = kept.DeepClone(); else next.Remove("status");
            }
            KindRules.Default(type, next);
        }
        next = ObjectShape.Canonical(type, next);
        if (type.IsCustom) next = (JsonObject)JsonOutput.SortKeys(next)!;
        if (subresource != "status") ThrowIfInvalid(type, next, KindRules.ValidateUpdate(type, currentNode, next));

        if (type.TracksGeneration && subresource != "status" && ObjectShape.SpecChanged(currentNode, next))
            ObjectShape.Metadata(next)["generation"] = (JsonNumbers.AsLong(currentNode["metadata"]?["generation"]) ?? 0) + 1;

        var managers = managersOverride ?? OwnershipAfterUpdate(current.Managers, write.FieldManager, currentNode, next);
        if (ObjectShape.SameContent(currentNode, next)) return Result(200, current);
        if (write.DryRun) return DryRunResult(200, type, next);

        var finalizers = next["metadata"]?["finalizers"] as JsonArray;
        var terminating = next["metadata"]?["deletionTimestamp"] is not null;
        if (terminating && finalizers is null or { Count: 0 } && type != ResourceCatalog.Pods)
            return Result(200, tx.Delete(current, next));
        return Result(200, tx.Update(current, next, managers));
    }
}
