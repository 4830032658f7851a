using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Admission;
using SecurityOperator.Admission.ImageSignatures;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>The synchronous first attempt (ImageSignatureStep.BeginWarm/EndWarm, outcomes resolved from the caches
/// during the evaluation): once the caches hold a request's verifications it decides exactly as the asynchronous path
/// did, counts a hit per target, and allocates nothing; before that, its decision does not stand.</summary>
public partial class ImageSignatureAdmissionTests
{
    /// <summary>A clock for the caches' expiry (TtlCache reads timestamps) that moves only when told.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _now = 1;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _now);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }

    /// <summary>The handler's synchronous first attempt at a request: whether its decision stands (every outcome it
    /// needed was cached), that decision, and the outcomes it resolved (per-thread: read them before the next attempt).</summary>
    private static (bool Stands, AdmissionResult Result, JsonObject Review, ImageSignatureOutcomes? Outcomes) FirstAttempt(
        ImageSignatureStep step, AdmissionReviewer reviewer, AdmissionEndpoint endpoint, byte[] body)
    {
        var warm = step.BeginWarm();
        (AdmissionResult Result, JsonObject Review) decided;
        using (ImageSignatureOutcomes.Enter(warm)) decided = ReviewKit.Review(reviewer, endpoint, body);
        return (step.EndWarm(warm), decided.Result, decided.Review, warm);
    }

    private static bool Stands(ImageSignatureStep step, Harness harness, byte[] body) =>
        FirstAttempt(step, harness.Reviewer, AdmissionEndpoint.Validate, body).Stands;

    /// <summary>The asynchronous decision, then the same request on the warm path: both answers and the hit counts.</summary>
    private static async Task<(JsonObject Async, JsonObject Warm)> AsyncThenWarmAsync(Harness harness, string image, AdmissionEndpoint endpoint)
    {
        var body = ReviewOf(image);
        Assert.False(Stands(harness.Wiring.Step, harness, body)); // nothing cached yet: the caller must wait
        var (asyncResult, asyncResponse) = await harness.AdmitAsync(image, endpoint);
        var hits = harness.Counter("security_operator_image_verification_cache_total", "hit");

        var warm = FirstAttempt(harness.Wiring.Step, harness.Reviewer, endpoint, body);
        Assert.True(warm.Stands);
        Assert.Equal(1, warm.Outcomes!.Count);
        Assert.Equal(hits + 1, harness.Counter("security_operator_image_verification_cache_total", "hit"));
        Assert.Equal(asyncResult, warm.Result);
        return (asyncResponse, warm.Review.Response());
    }

    [SkippableFact]
    public async Task Warm_path_allows_a_signed_image_as_the_async_path_did()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));

        var (viaAsync, warm) = await AsyncThenWarmAsync(harness, tagged.ToString(), AdmissionEndpoint.Validate);
        Assert.True(warm["allowed"]!.GetValue<bool>());
        Assert.Equal(viaAsync.ToJsonString(), warm.ToJsonString());
    }

    [SkippableFact]
    public async Task Warm_path_denies_a_cached_failure_with_the_async_path_message()
    {
        var (client, tagged, _) = await PushAsync();
        using var pushing = client;
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));

        var (viaAsync, warm) = await AsyncThenWarmAsync(harness, tagged.ToString(), AdmissionEndpoint.Validate);
        Assert.False(warm["allowed"]!.GetValue<bool>());
        Assert.Contains("no cosign signatures", Message(warm));
        Assert.Equal(viaAsync.ToJsonString(), warm.ToJsonString());
    }

    [SkippableFact]
    public async Task Warm_path_pins_the_verified_digest_as_the_async_path_did()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", mutateDigest: true, keys: key));

        var (viaAsync, warm) = await AsyncThenWarmAsync(harness, tagged.ToString(), AdmissionEndpoint.Mutate);
        var patch = JsonNode.Parse(Convert.FromBase64String(warm["patch"]!.GetValue<string>()))!.AsArray();
        Assert.Equal($"{tagged}@{digest}", Assert.Single(patch)!["value"]!.GetValue<string>());
        Assert.Equal(viaAsync.ToJsonString(), warm.ToJsonString());
    }

    [SkippableFact]
    public async Task Warm_path_uses_a_cached_Secret_key_and_waits_again_once_the_key_cache_expires()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret(key.PublicPem));
        var time = new SteppedTime();
        using var harness = new Harness(SecretRefPolicy($"{registry.Host}/*"), keys: new AttestorKeyResolver(cluster.Client, time: time));

        var (viaAsync, warm) = await AsyncThenWarmAsync(harness, tagged.ToString(), AdmissionEndpoint.Validate);
        Assert.True(warm["allowed"]!.GetValue<bool>());
        Assert.Equal(viaAsync.ToJsonString(), warm.ToJsonString());

        time.Advance(AttestorKeyResolver.DefaultTtl + TimeSpan.FromSeconds(1));
        Assert.False(Stands(harness.Wiring.Step, harness, ReviewOf(tagged.ToString())));
    }

    [SkippableFact]
    public async Task Warm_allowed_decisions_allocate_nothing()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync(tagged.ToString())).Result);

        var body = ReviewOf(tagged.ToString());
        var strings = new Utf8StringCache();
        var output = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(output, AdmissionResponseWriter.WriterOptions);
        AdmissionResult Decide()
        {
            var warm = harness.Wiring.Step.BeginWarm();
            AdmissionResult result;
            using (ImageSignatureOutcomes.Enter(warm))
            {
                output.ResetWrittenCount();
                writer.Reset(output);
                AdmissionReviewReader.TryRead(body, strings, out var request, out _);
                result = harness.Reviewer.Review(AdmissionEndpoint.Validate, body, request, writer);
            }
            return harness.Wiring.Step.EndWarm(warm) ? result : AdmissionResult.Error;
        }
        // Warm-up past tiered-JIT promotion so that only steady-state decisions are measured.
        for (var i = 0; i < 2_000; i++) Assert.Equal(AdmissionResult.Allowed, Decide());
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) Decide();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(AdmissionResult.Allowed, Decide());
    }
}

/// <summary>The warm path through the HTTP handler (AdmissionHttpHandler.AdmitAsync).</summary>
public partial class ImageSignatureAdmissionTests
{
    [SkippableFact]
    public async Task The_handler_answers_a_warm_request_as_it_answered_the_cold_one()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var pushing = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", mutateDigest: true, keys: key));
        await using var server = await WebhookServerFixture.StartAsync([harness.Policy], o => o with { ImageSignatures = harness.Wiring.Step });
        var body = ReviewOf(tagged.ToString());
        double Hits() => harness.Counter("security_operator_image_verification_cache_total", "hit");

        Assert.False(Stands(harness.Wiring.Step, harness, body));
        var cold = await PostAsync(server, "/validate", body);
        var hits = Hits();
        Assert.True(Stands(harness.Wiring.Step, harness, body));
        Assert.Equal(hits + 1, Hits());
        var warm = await PostAsync(server, "/validate", body);
        Assert.Equal(hits + 2, Hits());
        Assert.Equal(cold, warm);
        Assert.Contains("\"allowed\":true", warm);

        var patch = JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(await PostAsync(server, "/mutate", body))!["response"]!["patch"]!.GetValue<string>()))!;
        Assert.Equal($"{tagged}@{digest}", Assert.Single(patch.AsArray())!["value"]!.GetValue<string>());
        Assert.Equal(hits + 3, Hits());
    }

    private static async Task<string> PostAsync(WebhookServerFixture server, string path, byte[] body)
    {
        using var response = await server.Client.SendAsync(WebhookServerFixture.ApiServerPost(path, body));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
