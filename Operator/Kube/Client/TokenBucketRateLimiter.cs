namespace SecurityOperator.Kube.Client;

/// <summary>Client-side request rate limit: a token bucket holding up to <c>burst</c> tokens, refilled at <c>qps</c> per
/// second, like client-go's flowcontrol.NewTokenBucketRateLimiter. Every request takes a token; when none is left the
/// caller waits for the next one. Waiters reserve their token first, so they are served in arrival order.</summary>
public sealed class TokenBucketRateLimiter
{
    private readonly double _qps;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _tokens;
    private long _last;

    /// <param name="qps">Tokens per second; zero or negative disables limiting.</param>
    public TokenBucketRateLimiter(double qps, int burst, TimeProvider? time = null)
    {
        if (qps > 0 && burst < 1) throw new ArgumentOutOfRangeException(nameof(burst), burst, "burst must be at least 1 when qps is positive");
        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    /// <summary>Takes a token and returns how long the caller must wait before using it (zero when one was available).</summary>
    public TimeSpan Reserve()
    {
        if (_qps <= 0) return TimeSpan.Zero;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _qps);
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Reserve();
        return delay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
    }
}
