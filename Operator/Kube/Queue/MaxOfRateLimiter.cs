namespace SecurityOperator.Kube.Queue;

/// <summary>Asks every limiter and waits for the longest answer (client-go MaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey> where TKey : notnull
{
    /// <summary>client-go DefaultControllerRateLimiter: per-key 5 ms .. 1000 s exponential, and overall 10 qps / burst 100.</summary>
    public static MaxOfRateLimiter<TKey> ClientGoDefault(TimeProvider? time = null) =>
        new(ItemExponentialRateLimiter<TKey>.ClientGoDefault(), BucketRateLimiter<TKey>.ClientGoDefault(time));

    public TimeSpan When(TKey key)
    {
        var longest = TimeSpan.Zero;
        // Every limiter must see the call (each counts the failure or takes its token), so no short-circuit.
        foreach (var limiter in limiters)
        {
            var wait = limiter.When(key);
            if (wait > longest) longest = wait;
        }
        return longest;
    }

    public void Forget(TKey key)
    {
        foreach (var limiter in limiters) limiter.Forget(key);
    }

    public int NumRequeues(TKey key) => limiters.Max(l => l.NumRequeues(key));
}
