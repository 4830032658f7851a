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

/// <summary>The warm path's table keyed by the image reference's bytes: it serves only what the verification caches
/// would answer (their TTL, a tag resolved again), and an image written with JSON escapes is looked up unescaped.</summary>
public partial class ImageSignatureAdmissionTests
{
    /// <summary>A step whose verifier reads <paramref name="time"/>, with the 5-minute default cache TTL.</summary>
    private static (ImageSignatureStep Step, ImageSignatureVerifier Verifier) StepWithClock(Harness harness, TimeProvider time)
    {
        var verifier = new ImageSignatureVerifier(new ImageSignatureVerifierOptions { InsecureLoopback = true },
            new VerificationMetrics(new MetricsRegistry()), NullLogger.Instance, time);
        return (new ImageSignatureStep(harness.Source, verifier, ImageSignatureWiring.DefaultBudget), verifier);
    }

    private static async Task WarmUpAsync(ImageSignatureStep step, Harness harness, byte[] body)
    {
        Assert.False(Stands(step, harness, body));
        await step.VerifyAsync(step.Collect(body)!, CancellationToken.None);
        Assert.True(Stands(step, harness, body));
    }

    [SkippableFact]
    public async Task A_warm_entry_expires_with_the_verification_cache()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var time = new SteppedTime();
        var (step, verifier) = StepWithClock(harness, time);
        using var verifying = verifier;
        var body = ReviewOf(tagged.ToString());

        await WarmUpAsync(step, harness, body);
        time.Advance(new ImageSignatureVerifierOptions().CacheTtl - TimeSpan.FromSeconds(1));
        Assert.True(Stands(step, harness, body));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Stands(step, harness, body));
    }

    [SkippableFact]
    public async Task A_tag_resolved_again_to_another_digest_is_not_served_the_old_result()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var time = new SteppedTime();
        var (step, verifier) = StepWithClock(harness, time);
        using var verifying = verifier;
        var body = ReviewOf(tagged.ToString());
        await WarmUpAsync(step, harness, body);

        // The tag moves to an unsigned image; once the TTL is over, the tag is resolved again and the warm entry is gone.
        await TestImages.PushImageAsync(client, tagged); // a new random layer: another digest
        time.Advance(new ImageSignatureVerifierOptions().CacheTtl);
        Assert.False(Stands(step, harness, body));
        var outcomes = await step.VerifyAsync(step.Collect(body)!, CancellationToken.None);
        Assert.NotEqual(digest, Assert.Single(outcomes.All).Outcome.Digest);
        var warm = FirstAttempt(step, harness.Reviewer, AdmissionEndpoint.Validate, body);
        Assert.True(warm.Stands);
        var outcome = Assert.Single(warm.Outcomes!.All).Outcome;
        Assert.NotEqual(digest, outcome.Digest);
        Assert.False(outcome.Satisfies(1));
    }

    [SkippableFact]
    public async Task An_image_written_with_escapes_is_served_from_the_same_table()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var image = tagged.ToString();
        await WarmUpAsync(harness.Wiring.Step, harness, ReviewOf(image));

        // "\/" is "/": the evaluator looks the image up as the fact reader unescaped it.
        var escaped = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ReviewOf(image)).Replace(image, image.Replace("/", "\\/")));
        var hits = harness.Counter("security_operator_image_verification_cache_total", "hit");
        var warm = FirstAttempt(harness.Wiring.Step, harness.Reviewer, AdmissionEndpoint.Validate, escaped);
        Assert.True(warm.Stands);
        Assert.True(Assert.Single(warm.Outcomes!.All).Outcome.Satisfies(1));
        Assert.Equal(hits + 1, harness.Counter("security_operator_image_verification_cache_total", "hit"));
    }
}
