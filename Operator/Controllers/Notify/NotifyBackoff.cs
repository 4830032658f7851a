using System.Net.Http.Headers;

namespace SecurityOperator.Controllers.Notify;

/// <summary>How long to wait before the next attempt: exponential (initial × 2^attempt, capped) with full jitter, so
/// many controllers failing together do not retry in step; a 429's or 503's Retry-After wins (capped as well, so a
/// sink cannot park the queue for hours).</summary>
public sealed class NotifyBackoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>Delay before retry number <paramref name="retry"/> (0 for the first retry).</summary>
    public TimeSpan Delay(int retry, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (FromRetryAfter(retryAfter, now) is { } asked) return asked < max ? asked : max;
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        ceiling = Math.Min(ceiling, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling * _random());
    }

    private static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
