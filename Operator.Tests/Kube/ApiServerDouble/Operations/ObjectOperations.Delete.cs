using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

/// <summary>DeleteOptions as sent in the body or the query (pods-10 REQUEST 5/7/8).</summary>
public sealed record DeleteRequest(long? GracePeriodSeconds = null, string? PreconditionUid = null,
    string? PreconditionResourceVersion = null, string? PropagationPolicy = null, bool DryRun = false)
{
    public static DeleteRequest From(JsonObject? body, Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        var grace = JsonNumbers.AsLong(body?["gracePeriodSeconds"]);
        if (grace is null && long.TryParse(query["gracePeriodSeconds"], out var g)) grace = g;
        var dryRun = body?["dryRun"] is JsonArray { Count: > 0 } || query["dryRun"] == "All";
        return new DeleteRequest(grace, body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            body?["propagationPolicy"]?.GetValue<string>() ?? query["propagationPolicy"], dryRun);
    }
}

internal sealed partial class ObjectOperations
{
    /// <summary>DELETE. Pods answer the pod (pods-10): an unscheduled pod or grace 0 goes at once (MODIFIED with
    /// deletionTimestamp, then DELETED: watch-01 frames 4-5), a node-bound pod stays Terminating with its grace period.
    /// Objects with finalizers get a deletionTimestamp and stay until the last finalizer is removed. Everything else is
    /// deleted at once and answered with a Status (crd-02 REQUEST 6, coord-01 REQUEST 9). propagationPolicy is accepted;
    /// the double runs no garbage collector (owner references are not followed).</summary>
    public WriteResult Delete(ResourceType type, string @namespace, string name, DeleteRequest request)
    {
        return store.Write(tx =>
        {
            var current = tx.Get(type, type.Namespaced ? @namespace : "", name) ?? throw StatusErrors.NotFound(type, name);
            CheckPreconditions(type, current, request);
            var node = current.Clone();
            var metadata = ObjectShape.Metadata(node);

            if (type == ResourceCatalog.Pods) return DeletePod(tx, current, node, request);

            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                if (metadata["deletionTimestamp"] is not null || request.DryRun) return Result(200, current);
                metadata["deletionTimestamp"] = Now();
                metadata["deletionGracePeriodSeconds"] = 0;
                return Result(200, tx.Update(current, ObjectShape.Canonical(type, node), current.Managers));
            }
            if (request.DryRun)
                return type.ReturnsObjectOnDelete ? Result(200, current) : new WriteResult(200, JsonOutput.ToBytes(StatusErrors.DeleteSuccess(type, name, metadata["uid"]?.ToString())), null);
            if (type == ResourceCatalog.Namespaces) DeleteNamespaceContents(tx, name);
            var last = tx.Delete(current);
            return type.ReturnsObjectOnDelete
                ? Result(200, last)
                : new WriteResult(200, JsonOutput.ToBytes(StatusErrors.DeleteSuccess(type, name, metadata["uid"]?.ToString())), View(last));
        });
    }

    private WriteResult DeletePod(StoreTransaction tx, StoredObject current, JsonObject node, DeleteRequest request)
    {
        var metadata = ObjectShape.Metadata(node);
        var bound = !string.IsNullOrEmpty(node["spec"]?["nodeName"]?.GetValue<string>());
        // An unscheduled pod has nothing to wait for: grace 0 whatever was asked (pods-10 REQUEST 1).
        var grace = bound ? request.GracePeriodSeconds ?? JsonNumbers.AsLong(node["spec"]?["terminationGracePeriodSeconds"]) ?? 30 : 0;
        var existingGrace = JsonNumbers.AsLong(metadata["deletionGracePeriodSeconds"]);
        if (existingGrace is not null && grace >= existingGrace && grace > 0) return Result(200, current); // already terminating
        var deletionTime = time.GetUtcNow().AddSeconds(grace);
        metadata["deletionTimestamp"] = ObjectShape.Timestamp(deletionTime);
        metadata["deletionGracePeriodSeconds"] = grace;
        var marked = ObjectShape.Canonical(current.Type, node);
        if (request.DryRun) return DryRunResult(200, current.Type, marked); // pods-10 REQUEST 8: old resourceVersion
        var terminating = tx.Update(current, marked, current.Managers);
        if (grace > 0) return Result(200, terminating);
        tx.Delete(terminating);
        return Result(200, terminating);
    }

    private static void CheckPreconditions(ResourceType type, StoredObject current, DeleteRequest request)
    {
        var uid = current.Node["metadata"]?["uid"]?.GetValue<string>();
        if (request.PreconditionUid is not null && request.PreconditionUid != uid)
            throw StatusErrors.PreconditionFailed(type, current.Name,
                $"the UID in the precondition ({request.PreconditionUid}) does not match the UID in record ({uid}). The object might have been deleted and then recreated");
        if (request.PreconditionResourceVersion is not null && request.PreconditionResourceVersion != current.ResourceVersion.ToString())
            throw StatusErrors.PreconditionFailed(type, current.Name,
                $"the ResourceVersion in the precondition ({request.PreconditionResourceVersion}) does not match the ResourceVersion in record ({current.ResourceVersion}). The object has been modified");
    }

    /// <summary>SIMPLIFICATION: a namespace is removed at once with everything in it (no Terminating phase, no
    /// namespace controller); watchers of the contents see DELETED events.</summary>
    private void DeleteNamespaceContents(StoreTransaction tx, string @namespace)
    {
        foreach (var stored in store.AllInNamespace(@namespace)) tx.Delete(stored);
    }
}
