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

    [Fact]
    public void TryGet_gives_the_expiry_it_checks()
    {
        var time = new ManualTime { Now = 5 };
        var cache = new TtlCache<string, int>(TimeSpan.FromSeconds(10), 100, time);
        cache.Set("a", 1);
        Assert.True(cache.TryGet("a", out _, out var expires));
        Assert.Equal(10_005, expires);
        time.Now = expires;
        Assert.False(cache.TryGet("a", out _, out _));
    }

    [Fact]
    public void Version_changes_when_a_live_entry_is_replaced_or_evicted_but_not_when_one_is_added_or_renewed_after_expiry()
    {
        var time = new ManualTime();
        var cache = new TtlCache<int, int>(TimeSpan.FromSeconds(10), 3, time);
        var version = cache.Version;
        cache.Set(1, 1);
        cache.Set(2, 2);
        Assert.Equal(version, cache.Version);

        cache.Set(1, 10); // live: what a copy of entry 1 said may no longer hold
        Assert.NotEqual(version, cache.Version);

        version = cache.Version;
        time.Now = 20_000;
        cache.Set(2, 20); // expired: any copy of it has expired too
        Assert.Equal(version, cache.Version);

        cache.Set(3, 3);
        cache.Set(4, 4); // full: eviction
        Assert.NotEqual(version, cache.Version);
    }
}
