namespace SecurityOperator.Kube.Queue;

/// <summary>Per-key exponential backoff: base x 2^failures, capped (client-go ItemExponentialFailureRateLimiter).</summary>
public sealed class ItemExponentialRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey> where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, int> _failures = new();

    /// <summary>k8s.io/client-go/util/workqueue/default_rate_limiters.go, DefaultControllerRateLimiter: NewItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second).</summary>
    public static ItemExponentialRateLimiter<TKey> ClientGoDefault() => new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_gate)
        {
            exponent = _failures.GetValueOrDefault(key);
            _failures[key] = exponent + 1;
        }
        // Computed in double so that 2^exponent cannot overflow before the cap applies.
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(TKey key)
    {
        lock (_gate) _failures.Remove(key);
    }

    public int NumRequeues(TKey key)
    {
        lock (_gate) return _failures.GetValueOrDefault(key);
    }
}
