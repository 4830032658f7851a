using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>One committed version of an object. Immutable after commit: <see cref="Node"/> is only read under the store
/// lock (callers clone before changing it), the byte forms are what responses and watch frames send.</summary>
internal sealed class StoredObject
{
    public required ResourceType Type { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required long ResourceVersion { get; init; }
    public required JsonObject Node { get; init; }

    /// <summary>The full object (kind and apiVersion included).</summary>
    public required byte[] Json { get; init; }

    /// <summary>The object as a LIST item: built-in kinds drop kind/apiVersion in items (pods-03), CRs keep them (crd-02).</summary>
    public required byte[] ItemJson { get; init; }

    /// <summary>Field ownership, kept beside the object (not rendered as metadata.managedFields; see ManagedFieldSet).</summary>
    public required Patches.ManagedFieldSet Managers { get; init; }

    public string Key => StoreKey.Of(Namespace, Name);

    public JsonObject Clone() => (JsonObject)Node.DeepClone();

    public JsonObject? Labels => Node["metadata"]?["labels"] as JsonObject;
}

/// <summary>Keys sort like etcd keys under /registry/&lt;resource&gt;/: "namespace/name", or "name" for cluster-scoped
/// kinds, compared ordinally. That gives name order within a namespace and namespace/name order cluster-wide (pods-03).</summary>
internal static class StoreKey
{
    public static string Of(string @namespace, string name) => @namespace.Length == 0 ? name : $"{@namespace}/{name}";
}
