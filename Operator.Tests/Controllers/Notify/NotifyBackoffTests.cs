using System.Net.Http.Headers;
using SecurityOperator.Controllers.Notify;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class NotifyBackoffTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ceiling_doubles_per_retry_up_to_the_cap_and_jitter_scales_it()
    {
        var top = new NotifyBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 1);
        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(0, 6).Select(i => top.Delay(i, null, Now).TotalSeconds));
        var half = new NotifyBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 0.5);
        Assert.Equal(TimeSpan.FromSeconds(2), half.Delay(2, null, Now));
    }

    [Fact]
    public void Retry_after_in_seconds_or_as_a_date_wins_and_is_capped()
    {
        var backoff = new NotifyBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), () => 1);
        Assert.Equal(TimeSpan.FromSeconds(7), backoff.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(0, new RetryConditionHeaderValue(Now.AddSeconds(30)), Now));
        Assert.Equal(TimeSpan.Zero, backoff.Delay(3, new RetryConditionHeaderValue(Now.AddSeconds(-30)), Now));
        Assert.Equal(TimeSpan.FromSeconds(60), backoff.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromDays(1)), Now));
    }
}
