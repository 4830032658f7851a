namespace SecurityOperator.Controllers.Status;

/// <summary>What one policy status reconcile did: wrote, found nothing to write, or deferred a counts-only change for
/// <see cref="DueIn"/> (the caller queues the policy again then).</summary>
public readonly record struct StatusReconcileOutcome(bool Wrote, TimeSpan? DueIn)
{
    public static readonly StatusReconcileOutcome Written = new(true, null);
    public static readonly StatusReconcileOutcome Unchanged = new(false, null);
}
