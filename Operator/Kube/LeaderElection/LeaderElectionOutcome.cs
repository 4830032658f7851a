namespace SecurityOperator.Kube.LeaderElection;

/// <summary>Why <see cref="LeaderElector.RunAsync"/> returned.</summary>
public enum LeaderElectionOutcome
{
    /// <summary>Asked to stop (the lease was released if this process held it and ReleaseOnCancel is set).</summary>
    Stopped,

    /// <summary>The lease could not be renewed within the renew deadline (or someone else holds it): the work was cancelled.
    /// The process should exit so that it starts again as a follower, as controller-runtime does.</summary>
    Lost,
}
