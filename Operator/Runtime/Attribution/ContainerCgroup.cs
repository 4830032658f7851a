namespace SecurityOperator.Runtime.Attribution;

/// <summary>A container's cgroup directory, its cgroup id and what its path says.</summary>
public sealed record ContainerCgroup(string Directory, ulong Id, ContainerRef Container);
