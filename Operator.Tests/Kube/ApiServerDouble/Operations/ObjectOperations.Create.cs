using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer.Patches;
using SecurityOperator.Tests.Kube.ApiServer.Validation;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

internal sealed partial class ObjectOperations
{
    /// <summary>POST (and create-by-apply when <paramref name="applyConfig"/> is given). Order of checks as the real server: decode (400), namespace mismatch (400), missing namespace (404,
    /// errors-404 REQUEST 3), validation (422), existence (409 AlreadyExists, pods-01 REQUEST 3).</summary>
    public WriteResult Create(ResourceType type, string @namespace, JsonObject body, WriteContext write, JsonObject? applyConfig = null)
    {
        KindRules.Decode(type, body);
        var givenUid = body["metadata"]?["uid"]?.GetValue<string>();
        var givenCreation = body["metadata"]?["creationTimestamp"]?.GetValue<string>();
        var obj = Prepare(type, @namespace, body);
        return store.Write(tx =>
        {
            if (type.Namespaced && !write.SkipNamespaceCheck && tx.Get(ResourceCatalog.Namespaces, "", @namespace) is null)
                throw StatusErrors.NotFound(ResourceCatalog.Namespaces, @namespace);
            var metadata = ObjectShape.Metadata(obj);
            if (string.IsNullOrEmpty(metadata["name"]?.GetValue<string>()) && metadata["generateName"]?.GetValue<string>() is { } prefix)
                metadata["name"] = prefix + ObjectShape.RandomSuffix();
            ThrowIfInvalid(type, obj, KindRules.ValidateCreate(type, obj));
            var name = ObjectShape.Name(obj)!;
            if (tx.Get(type, type.Namespaced ? @namespace : "", name) is not null) throw StatusErrors.AlreadyExists(type, name);

            metadata["uid"] = write.KeepIdentity && givenUid is not null ? givenUid : Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = write.KeepIdentity && givenCreation is not null ? givenCreation : Now();
            if (type.TracksGeneration) metadata["generation"] = 1;
            var canonical = ObjectShape.Canonical(type, obj);
            // adm-04: a dry-run create answers 201 with a uid but no resourceVersion, and stores nothing.
            if (write.DryRun) return DryRunResult(201, type, canonical);
            var managers = applyConfig is null
                ? OwnershipAfterUpdate(new ManagedFieldSet(), write.FieldManager, null, canonical)
                : new ManagedFieldSet().AfterApply(write.FieldManager, FieldPaths.Leaves(applyConfig).Keys, [], FieldPaths.Leaves(canonical));
            return Result(201, tx.Add(type, canonical, managers));
        });
    }

    /// <summary>Namespace from the path, server-owned metadata dropped, status reset, defaults applied.</summary>
    private static JsonObject Prepare(ResourceType type, string @namespace, JsonObject body)
    {
        var obj = (JsonObject)body.DeepClone();
        var metadata = ObjectShape.Metadata(obj);
        ObjectShape.StripServerOwned(metadata);
        if (type.Namespaced)
        {
            var bodyNamespace = metadata["namespace"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != @namespace)
                throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request"); // errors-422 REQUEST 6
            metadata["namespace"] = @namespace;
        }
        else metadata.Remove("namespace");

        // With a status subresource the status of a create body is dropped (crd-02 REQUEST 1); pods start Pending (pods-01).
        if (type.HasStatusSubresource) obj.Remove("status");
        KindRules.Default(type, obj);
        if (type == ResourceCatalog.Pods) obj["status"] = PodRules.InitialStatus(obj);
        else if (type == ResourceCatalog.Namespaces) obj["status"] = new JsonObject { ["phase"] = "Active" };
        return obj;
    }
}
