namespace SecurityOperator.Runtime.Attribution;

/// <summary>A container of a pod on this node, from the pod's status.</summary>
public sealed record PodContainer(string Namespace, string PodName, string PodUid, string ContainerName, string? Image);
