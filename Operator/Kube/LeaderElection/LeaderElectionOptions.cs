namespace SecurityOperator.Kube.LeaderElection;

/// <summary>Where the lease lives, who we are, and the timing of the election. The defaults are client-go's as every
/// Kubernetes controller uses them: k8s.io/component-base/config/v1alpha1 RecommendedDefaultLeaderElectionConfiguration
/// (kube-controller-manager's --leader-elect-lease-duration 15s, --leader-elect-renew-deadline 10s,
/// --leader-elect-retry-period 2s), which controller-runtime's manager also uses (defaultLeaseDuration,
/// defaultRenewDeadline, defaultRetryPeriod).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseNamespace { get; init; }
    public required string LeaseName { get; init; }

    /// <summary>Unique per process: hostname (the pod name in a cluster) plus a random suffix, as controller-runtime does.</summary>
    public required string Identity { get; init; }

    /// <summary>How long a follower waits, from the last change of the lease it observed, before taking it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before it gives up leading (must be below LeaseDuration,
    /// so the leader stops before anyone else may start).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Between acquire attempts (jittered by client-go's factor 1.2) and between renewals.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On a graceful stop, the leader empties the holder so a follower takes over at its next attempt instead of
    /// waiting for the lease to expire (client-go ReleaseOnCancel).</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>client-go leaderelection JitterFactor: acquire attempts wait RetryPeriod × [1, 2.2).</summary>
    public const double JitterFactor = 1.2;

    public static string DefaultIdentity() => $"{Environment.MachineName}_{Guid.NewGuid():N}";

    internal void Validate()
    {
        if (LeaseDuration <= RenewDeadline)
            throw new ArgumentException($"leader election: the lease duration ({LeaseDuration}) must be greater than the renew deadline ({RenewDeadline})");
        if (RenewDeadline <= TimeSpan.FromTicks((long)(JitterFactor * RetryPeriod.Ticks)))
            throw new ArgumentException($"leader election: the renew deadline ({RenewDeadline}) must be greater than {JitterFactor} × the retry period ({RetryPeriod})");
        if (RetryPeriod <= TimeSpan.Zero) throw new ArgumentException("leader election: the retry period must be positive");
        if (string.IsNullOrEmpty(Identity)) throw new ArgumentException("leader election: the identity must not be empty");
    }
}
