using System.Text;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Signing.Verification;

/// <summary>The verifier's warm table, keyed by an image reference's bytes as written: an entry serves only its key
/// set (or an equal one), only before its expiry, and only at the cache version it was copied at.</summary>
public class WarmImageTableTests
{
    private static readonly byte[] Image = Encoding.UTF8.GetBytes("registry.example.com/team/app:1.2.3");

    private static WarmResult Result(VerificationKeySet keys, long expires, long version, string image = "registry.example.com/team/app:1.2.3") =>
        new(keys, new ImageSignatureOutcome(image, null, 1, null, null), expires, version);

    [Fact]
    public void An_entry_is_found_by_the_image_bytes_until_it_expires()
    {
        using var pair = new TestKeyPair();
        var keys = new VerificationKeySet([pair.Public()]);
        var table = new WarmImageTable(100);
        var kept = Result(keys, expires: 1_000, version: 7);
        table.Set(Image, kept, now: 0, version: 7);

        Assert.True(table.TryGet(Image.AsSpan(), keys, now: 999, version: 7, out var found));
        Assert.Same(kept, found);
        Assert.False(table.TryGet(Image.AsSpan(), keys, now: 1_000, version: 7, out _));
        // As written: another spelling of the same reference is another entry (it takes the verification path once).
        Assert.False(table.TryGet("registry.example.com/team/app:1.2.3@"u8, keys, now: 0, version: 7, out _));
        Assert.False(table.TryGet("REGISTRY.example.com/team/app:1.2.3"u8, keys, now: 0, version: 7, out _));
    }

    [Fact]
    public void A_changed_cache_version_makes_every_entry_a_miss()
    {
        using var pair = new TestKeyPair();
        var keys = new VerificationKeySet([pair.Public()]);
        var table = new WarmImageTable(100);
        table.Set(Image, Result(keys, 1_000, 7), 0, 7);
        Assert.False(table.TryGet(Image.AsSpan(), keys, 0, version: 8, out _));
    }

    [Fact]
    public void Another_key_set_misses_and_an_equal_one_built_again_hits()
    {
        using var first = new TestKeyPair();
        using var rotated = new TestKeyPair();
        var keys = new VerificationKeySet([first.Public()]);
        var table = new WarmImageTable(100);
        table.Set(Image, Result(keys, 1_000, 0), 0, 0);

        Assert.False(table.TryGet(Image.AsSpan(), new VerificationKeySet([rotated.Public()]), 0, 0, out _));
        // A Secret read again gives a new set object with the same keys: same results, as the result cache keys on the Id.
        Assert.True(table.TryGet(Image.AsSpan(), new VerificationKeySet([first.Public("again.pub")]), 0, 0, out _));

        var other = new VerificationKeySet([rotated.Public()]);
        table.Set(Image, Result(other, 2_000, 0), 0, 0);
        Assert.True(table.TryGet(Image.AsSpan(), keys, 0, 0, out var kept));
        Assert.Equal(1_000, kept.Expires);
        Assert.True(table.TryGet(Image.AsSpan(), other, 0, 0, out var added));
        Assert.Equal(2_000, added.Expires);

        // The same key set again replaces its entry.
        table.Set(Image, Result(keys, 3_000, 0), 0, 0);
        Assert.True(table.TryGet(Image.AsSpan(), keys, 0, 0, out var replaced));
        Assert.Equal(3_000, replaced.Expires);
    }

    [Fact]
    public void A_full_table_drops_expired_or_outdated_images_first_and_stays_bounded()
    {
        using var pair = new TestKeyPair();
        var keys = new VerificationKeySet([pair.Public()]);
        var table = new WarmImageTable(3);
        table.Set("a:1"u8.ToArray(), Result(keys, 10, 0), 0, 0);
        table.Set("b:1"u8.ToArray(), Result(keys, 1_000, 0), 0, 0);
        table.Set("c:1"u8.ToArray(), Result(keys, 1_000, 0), 0, 0);
        table.Set("d:1"u8.ToArray(), Result(keys, 1_000, 0), now: 500, version: 0);
        Assert.Equal(3, table.Count);
        Assert.False(table.TryGet("a:1"u8, keys, 500, 0, out _));
        Assert.True(table.TryGet("b:1"u8, keys, 500, 0, out _));
        Assert.True(table.TryGet("d:1"u8, keys, 500, 0, out _));

        for (var i = 0; i < 50; i++) table.Set(Encoding.UTF8.GetBytes($"x:{i}"), Result(keys, 1_000, 0), 500, 0);
        Assert.True(table.Count <= 3);
        Assert.True(table.TryGet("x:49"u8, keys, 500, 0, out _));
    }
}
