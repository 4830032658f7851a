using SecurityOperator.Kube.Client;
using SecurityOperator.Tests.Kube.Config;

namespace SecurityOperator.Tests.Kube.Client;

public sealed class TokenBucketRateLimiterTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void Burst_is_free_then_requests_are_spaced_at_qps()
    {
        var limiter = new TokenBucketRateLimiter(qps: 5, burst: 10, _clock);
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(400), limiter.Reserve()); // queued behind the previous waiter
    }

    [Fact]
    public void Tokens_refill_with_time_up_to_the_burst()
    {
        var limiter = new TokenBucketRateLimiter(qps: 5, burst: 2, _clock);
        limiter.Reserve();
        limiter.Reserve();
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.NotEqual(TimeSpan.Zero, limiter.Reserve());
    }

    [Fact]
    public void Zero_qps_disables_limiting()
    {
        var limiter = new TokenBucketRateLimiter(qps: 0, burst: 0, _clock);
        for (var i = 0; i < 1000; i++) Assert.Equal(TimeSpan.Zero, limiter.Reserve());
    }

    [Fact]
    public void Positive_qps_needs_a_burst()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucketRateLimiter(5, 0, _clock));
    }
}
