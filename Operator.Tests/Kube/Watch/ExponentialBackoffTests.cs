using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

public class ExponentialBackoffTests
{
    [Fact]
    public void Client_go_reflector_defaults_double_from_800ms_and_cap_at_30s()
    {
        var policy = BackoffPolicy.ClientGoReflector;
        Assert.Equal((TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30), 2.0, 1.0, TimeSpan.FromMinutes(2)),
            (policy.Initial, policy.Max, policy.Factor, policy.Jitter, policy.ResetAfter));

        var backoff = new ExponentialBackoff(policy, new ManualTimeProvider(), () => 0.0);
        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000 }, waits);
    }

    [Fact]
    public void Jitter_one_spreads_each_wait_over_d_to_2d()
    {
        var backoff = new ExponentialBackoff(BackoffPolicy.ClientGoReflector, new ManualTimeProvider(), () => 0.5);
        Assert.Equal(1200, backoff.Next().TotalMilliseconds);
        Assert.Equal(2400, backoff.Next().TotalMilliseconds);
        var capped = new ExponentialBackoff(BackoffPolicy.ClientGoReflector, new ManualTimeProvider(), () => 0.999);
        for (var i = 0; i < 10; i++) capped.Next();
        Assert.InRange(capped.Next(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Resets_to_the_initial_wait_after_two_quiet_minutes()
    {
        var clock = new ManualTimeProvider();
        var backoff = new ExponentialBackoff(BackoffPolicy.ClientGoReflector, clock, () => 0.0);
        backoff.Next();
        backoff.Next();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3200, backoff.Next().TotalMilliseconds);   // within the window: keeps growing
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(800, backoff.Next().TotalMilliseconds);    // quiet for longer than 2 min: healthy again
    }
}
