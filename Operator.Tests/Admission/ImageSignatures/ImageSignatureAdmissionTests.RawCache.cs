using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Admission;
using SecurityOperator.Admission.ImageSignatures;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Registry;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>The warm path's table keyed by the image reference's bytes as written: it serves only what the
/// verification caches would answer (their TTL, a tag resolved again), and bodies the one-pass scan leaves to the
/// exact readers are served from the same table.</summary>
public partial class ImageSignatureAdmissionTests
{
    /// <summary>A step whose verifier reads <paramref name="time"/>, with the 5-minute default cache TTL.</summary>
    private static (ImageSignatureStep Step, ImageSignatureVerifier Verifier) StepWithClock(Harness harness, TimeProvider time)
    {
        var verifier = new ImageSignatureVerifier(new ImageSignatureVerifierOptions { InsecureLoopback = true },
            new VerificationMetrics(new MetricsRegistry()), NullLogger.Instance, time);
        return (new ImageSignatureStep(harness.Source, verifier, ImageSignatureWiring.DefaultBudget), verifier);
    }

    private static async Task WarmUpAsync(ImageSignatureStep step, byte[] body)
    {
        Assert.False(step.TryVerifyCached(body, out _));
        await step.VerifyAsync(step.Collect(body)!, CancellationToken.None);
        Assert.True(step.TryVerifyCached(body, out var outcomes));
        Assert.NotNull(outcomes);
    }

    [SkippableFact]
    public async Task A_warm_entry_expires_with_the_verification_cache()
    {
        var (client, tagged, digest) = await PushAsync();
        using var pushing = client;
        using var key = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var time = new SteppedTime();
        var (step, verifier) = StepWithClock(harness, time);
        using var verifying = verifier;
        var body = ReviewOf(tagged.ToString());

        await WarmUpAsync(step, body);
        time.Advance(new ImageSignatureVerifierOptions().CacheTtl - TimeSpan.FromSeconds(1));
        Assert.True(step.TryVerifyCached(body, out _));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(step.TryVerifyCached(body, out _));
    }

    [SkippableFact]
    public async Task A_tag_resolved_again_to_another_digest_is_not_served_the_old_result()
    {
        var (client, tagged, digest) = await PushAsync();
        using var pushing = client;
        using var key = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var time = new SteppedTime();
        var (step, verifier) = StepWithClock(harness, time);
        using var verifying = verifier;
        var body = ReviewOf(tagged.ToString());
        await WarmUpAsync(step, body);

        // The tag moves to an unsigned image; once the TTL is over, the tag is resolved again and the warm entry is gone.
        await TestImages.PushImageAsync(client, tagged); // a new random layer: another digest
        time.Advance(new ImageSignatureVerifierOptions().CacheTtl);
        Assert.False(step.TryVerifyCached(body, out _));
        var outcomes = await step.VerifyAsync(step.Collect(body)!, CancellationToken.None);
        Assert.NotEqual(digest, Assert.Single(outcomes.All).Outcome.Digest);
        Assert.True(step.TryVerifyCached(body, out var warm));
        var outcome = Assert.Single(warm!.All).Outcome;
        Assert.NotEqual(digest, outcome.Digest);
        Assert.False(outcome.Satisfies(1));
    }

    [SkippableFact]
    public async Task A_body_the_scan_leaves_to_the_exact_readers_is_served_from_the_same_table()
    {
        var (client, tagged, digest) = await PushAsync();
        using var pushing = client;
        using var key = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var image = tagged.ToString();
        await WarmUpAsync(harness.Wiring.Step, ReviewOf(image));

        // "\/" is "/": the fact reader unescapes it; the scan does not read escapes and defers.
        var escaped = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ReviewOf(image)).Replace(image, image.Replace("/", "\\/")));
        Assert.False(AdmissionImageScan.Scan(escaped, []).Sure);
        var hits = harness.Counter("security_operator_image_verification_cache_total", "hit");
        Assert.True(harness.Wiring.Step.TryVerifyCached(escaped, out var outcomes));
        Assert.True(Assert.Single(outcomes!.All).Outcome.Satisfies(1));
        Assert.Equal(hits + 1, harness.Counter("security_operator_image_verification_cache_total", "hit"));
    }
}
