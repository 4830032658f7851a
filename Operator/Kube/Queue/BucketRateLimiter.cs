namespace SecurityOperator.Kube.Queue;

/// <summary>An overall token bucket over all keys (client-go BucketRateLimiter over golang.org/x/time/rate): the bucket
/// holds up to <c>burst</c> tokens and refills at <c>qps</c> per second; each <see cref="When"/> takes one token, and when
/// none is left it reserves a future one and returns the wait until it exists.</summary>
public sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey> where TKey : notnull
{
    private readonly object _gate = new();
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public BucketRateLimiter(double qps, int burst, TimeProvider? time = null)
    {
        if (qps <= 0) throw new ArgumentOutOfRangeException(nameof(qps), qps, "qps must be positive");
        if (burst <= 0) throw new ArgumentOutOfRangeException(nameof(burst), burst, "burst must be positive");
        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetUtcNow();
    }

    /// <summary>k8s.io/client-go/util/workqueue/default_rate_limiters.go, DefaultControllerRateLimiter: rate.NewLimiter(rate.Limit(10), 100), "10 qps, 100 bucket size".</summary>
    public static BucketRateLimiter<TKey> ClientGoDefault(TimeProvider? time = null) => new(10, 100, time);

    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now > _last)
            {
                _tokens = Math.Min(_burst, _tokens + (now - _last).TotalSeconds * _qps);
                _last = now;
            }
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(TKey key) { }

    public int NumRequeues(TKey key) => 0;
}
