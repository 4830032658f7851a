namespace SecurityOperator.Policy.Cluster;

/// <summary>Identifies one policy object: a ClusterSecurityPolicy by name, a SecurityPolicy by namespace and name.</summary>
public readonly record struct PolicyKey(bool IsCluster, string? Namespace, string Name)
{
    public static PolicyKey Cluster(string name) => new(true, null, name);

    public static PolicyKey Namespaced(string @namespace, string name) => new(false, @namespace, name);

    public string Kind => IsCluster ? "ClusterSecurityPolicy" : "SecurityPolicy";

    /// <summary>"ClusterSecurityPolicy/name" or "SecurityPolicy/ns/name": unique across both kinds (used as a work-queue key).</summary>
    public override string ToString() => IsCluster ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
