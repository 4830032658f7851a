namespace SecurityOperator.Kube.Queue;

/// <summary>Decides how long a key waits before it is queued again after a failure (client-go workqueue.RateLimiter).</summary>
public interface IRateLimiter<in TKey> where TKey : notnull
{
    /// <summary>The wait for the next retry of <paramref name="key"/>; counts as one more failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>The key succeeded (or was given up): its failure history is dropped.</summary>
    void Forget(TKey key);

    /// <summary>Failures of <paramref name="key"/> since the last <see cref="Forget"/>.</summary>
    int NumRequeues(TKey key);
}
