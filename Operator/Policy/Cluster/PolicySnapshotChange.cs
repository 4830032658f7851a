namespace SecurityOperator.Policy.Cluster;

/// <summary>Published after each snapshot swap: the snapshot before and after and the policies whose entry changed
/// (added, recompiled, became invalid, deleted).</summary>
public sealed record PolicySnapshotChange(PolicySnapshot Previous, PolicySnapshot Current, IReadOnlyList<PolicyKey> Changed);
