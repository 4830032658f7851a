using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>Reconciles one namespace's zero-trust policies from its <c>security.io/zero-trust</c> label: enforce applies
/// <see cref="ZeroTrustPolicies.Desired"/>; audit computes it and reports what would be created (removing anything it
/// had applied before); no label removes what the operator created, and only that. The controller calls it for each
/// namespace event (and on resync).</summary>
public sealed class ZeroTrustReconciler(ManagedPolicyApplier applier)
{
    public sealed record Result(ZeroTrustPolicies.Mode Mode, ApplyOutcome Applied, IReadOnlyList<NetworkPolicy> Planned);

    public async Task<Result> ReconcileAsync(Namespace ns, CancellationToken cancellationToken = default)
    {
        var name = ns.Metadata.Name ?? throw new ArgumentException("namespace without metadata.name", nameof(ns));
        var mode = ns.Metadata.DeletionTimestamp is null ? ZeroTrustPolicies.ModeOf(ns) : ZeroTrustPolicies.Mode.Off;
        var desired = mode == ZeroTrustPolicies.Mode.Off ? [] : ZeroTrustPolicies.Desired(name);
        var applied = await applier.ApplyAsync(name, ZeroTrustPolicies.Purpose, mode == ZeroTrustPolicies.Mode.Enforce ? desired : [],
            dryRun: false, cancellationToken).ConfigureAwait(false);
        return new Result(mode, applied, desired);
    }
}
