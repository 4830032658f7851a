using SecurityOperator.Kube.Queue;
using SecurityOperator.Tests.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Queue;

public class RateLimiterTests
{
    [Fact]
    public void Per_key_backoff_doubles_from_5ms_caps_at_1000s_and_forget_resets_it()
    {
        var limiter = ItemExponentialRateLimiter<string>.ClientGoDefault();
        var waits = Enumerable.Range(0, 5).Select(_ => limiter.When("a").TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 5, 10, 20, 40, 80 }, waits);
        Assert.Equal(5, limiter.NumRequeues("a"));
        Assert.Equal(5, limiter.When("b").TotalMilliseconds);   // keys are independent

        for (var i = 0; i < 100; i++) limiter.When("a");
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(5, limiter.When("a").TotalMilliseconds);
    }

    [Fact]
    public void Token_bucket_allows_a_burst_of_100_then_10_per_second()
    {
        var clock = new ManualTimeProvider();
        var bucket = BucketRateLimiter<string>.ClientGoDefault(clock);
        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, bucket.When($"k{i}"));
        Assert.Equal(100, bucket.When("x").TotalMilliseconds, 3);
        Assert.Equal(200, bucket.When("y").TotalMilliseconds, 3);

        clock.Advance(TimeSpan.FromSeconds(1.2));   // pays back the two reservations, then refills 10 tokens
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, bucket.When($"r{i}"));
        Assert.True(bucket.When("z") > TimeSpan.Zero);
    }

    [Fact]
    public void The_default_controller_limiter_takes_the_longer_of_both()
    {
        var clock = new ManualTimeProvider();
        var limiter = MaxOfRateLimiter<string>.ClientGoDefault(clock);
        Assert.Equal(5, limiter.When("a").TotalMilliseconds);
        Assert.Equal(10, limiter.When("a").TotalMilliseconds);
        for (var i = 0; i < 98; i++) limiter.When($"k{i}");      // empties the bucket (100 tokens, 2 used above)
        Assert.Equal(100, limiter.When("fresh").TotalMilliseconds, 3);   // the bucket's wait beats a first failure's 5 ms
        Assert.Equal(2, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }
}
