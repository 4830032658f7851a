using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Informers;

/// <summary>The cache key of an object, as client-go's MetaNamespaceKeyFunc writes it: "namespace/name", or just "name"
/// for cluster-scoped objects. Work queues use the same keys.</summary>
public static class ObjectKey
{
    public static string Of(string? @namespace, string name) =>
        string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";

    /// <summary>The key of <paramref name="obj"/>; throws when it has no metadata.name (the server always sets one).</summary>
    public static string Of(IKubeObject obj)
    {
        var name = obj.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException($"{obj.Kind ?? "object"} has no metadata.name, so it has no cache key", nameof(obj));
        return Of(obj.Metadata!.Namespace, name);
    }

    /// <summary>Splits a key back into namespace (null for cluster-scoped) and name.</summary>
    public static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
