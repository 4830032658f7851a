using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Tests.Signing.Verification;

public class TtlCacheTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now;
        public override long GetTimestamp() => Now;
        public override long TimestampFrequency => 1000;
    }

    [Fact]
    public void Entries_expire_after_the_ttl()
    {
        var time = new ManualTime();
        var cache = new TtlCache<string, int>(TimeSpan.FromSeconds(10), 100, time);
        cache.Set("a", 1);
        time.Now = 9_999;
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal(1, value);
        time.Now = 10_000;
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void A_full_cache_stays_bounded_dropping_expired_then_oldest()
    {
        var time = new ManualTime();
        var cache = new TtlCache<int, int>(TimeSpan.FromSeconds(10), 10, time);
        for (var i = 0; i < 10; i++) { time.Now = i; cache.Set(i, i); }
        time.Now = 20;
        cache.Set(100, 100);
        Assert.True(cache.Count <= 10);
        Assert.True(cache.TryGet(100, out _));
        for (var i = 0; i < 1000; i++) { time.Now = 100 + i; cache.Set(1000 + i, i); }
        Assert.True(cache.Count <= 10);
        Assert.True(cache.TryGet(1999, out _));
        Assert.False(cache.TryGet(1000, out _));
    }
}
