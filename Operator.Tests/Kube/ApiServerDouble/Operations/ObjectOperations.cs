using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer.Patches;

namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

/// <summary>The write paths of the generic registry (create, update, patch, delete), shared by the HTTP handlers and the
/// test helpers (Seed). Each operation runs inside one store transaction, so read-check-write is atomic.
/// Split by verb over ObjectOperations.*.cs.</summary>
internal sealed partial class ObjectOperations(ObjectStore store, TimeProvider time)
{
    private string Now() => ObjectShape.Timestamp(time.GetUtcNow());

    private static WriteResult Result(int code, StoredObject stored) =>
        new(code, stored.Json, View(stored));

    public static StoredObjectView View(StoredObject stored) =>
        new(stored.Namespace, stored.Name, stored.ResourceVersion, stored.Clone());

    /// <summary>A result that was computed but not stored (dryRun=All).</summary>
    private static WriteResult DryRunResult(int code, ResourceType type, JsonObject obj) =>
        new(code, JsonOutput.ToBytes(type.IsCustom ? JsonOutput.SortKeys(obj)! : obj), null);

    private static void ThrowIfInvalid(ResourceType type, JsonObject obj, List<FieldCause> causes)
    {
        if (causes.Count > 0) throw StatusErrors.Invalid(type, ObjectShape.Name(obj) ?? "", causes);
    }

    private static ManagedFieldSet OwnershipAfterUpdate(ManagedFieldSet managers, string manager, JsonObject? before, JsonObject after) =>
        managers.AfterUpdate(manager, before is null ? [] : FieldPaths.Leaves(before), FieldPaths.Leaves(after));
}
