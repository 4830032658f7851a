using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Admission;
using SecurityOperator.Admission.ImageSignatures;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Registry;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Policy;
using SecurityOperator.Tests.Registry;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>imageSignature rules end to end without the HTTP layer: the step collects and verifies against a real
/// loopback registry, then the reviewer decides with the outcomes published, exactly as the handler does.</summary>
public partial class ImageSignatureAdmissionTests(LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    private sealed class Harness : IDisposable
    {
        public Harness(CompiledPolicy policy, TimeSpan? budget = null, TimeSpan? registryTimeout = null, AttestorKeyResolver? keys = null)
        {
            Policy = policy;
            Source = new AdmissionPolicySource(new AdmissionPolicySnapshot([policy], new Dictionary<string, Dictionary<string, string>>(), ReviewKit.DefaultExcluded));
            Metrics = new MetricsRegistry();
            Wiring = new ImageSignatureWiring(Source, Metrics, NullLoggerFactory.Instance,
                new ImageSignatureVerifierOptions { InsecureLoopback = true, RegistryTimeout = registryTimeout ?? TimeSpan.FromSeconds(5) }, budget,
                attestorKeys: keys);
            Reviewer = new AdmissionReviewer(Source);
        }

        public CompiledPolicy Policy { get; }
        public AdmissionPolicySource Source { get; }
        public MetricsRegistry Metrics { get; }
        public ImageSignatureWiring Wiring { get; }
        public AdmissionReviewer Reviewer { get; }

        public async Task<(AdmissionResult Result, JsonObject Response)> AdmitAsync(string image, AdmissionEndpoint endpoint = AdmissionEndpoint.Validate)
        {
            var body = ReviewOf(image);
            var targets = Wiring.Step.Collect(body);
            var outcomes = targets is null ? null : await Wiring.Step.VerifyAsync(targets, CancellationToken.None);
            using (ImageSignatureOutcomes.Enter(outcomes))
            {
                var (result, review) = ReviewKit.Review(Reviewer, endpoint, body);
                return (result, review.Response());
            }
        }

        public double Counter(string name, string result) =>
            ((Counter)Metrics.CreateCounter(name, "", "result")).WithLabels(result).Value;

        public void Dispose() => Wiring.Dispose();
    }

    private static byte[] ReviewOf(string image)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = "0d1c5a6e-1111-2222-3333-444455556666",
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["namespace"] = "team",
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "alice" },
                ["dryRun"] = false,
                ["object"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "team" },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) },
                },
            },
        };
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }

    private static CompiledPolicy SignaturePolicy(string images, bool mutateDigest = false, int? required = null, params TestKeyPair[] keys) =>
        SignaturePolicy(images, null, mutateDigest, required, keys);

    private static CompiledPolicy SignaturePolicy(string images, string? failurePolicy, bool mutateDigest = false, int? required = null, params TestKeyPair[] keys)
    {
        var attestors = string.Join(",", keys.Select((k, i) => $$"""{"name":"key{{i}}","publicKey":{{JsonSerializer.Serialize(k.PublicPem)}}}"""));
        var requiredJson = required is null ? "" : $",\"required\":{required}";
        var failurePolicyJson = failurePolicy is null ? "" : $",\"failurePolicy\":\"{failurePolicy}\"";
        return PolicyTestKit.Rule(
            $$$"""[{"imageSignature":{"images":[{{{JsonSerializer.Serialize(images)}}}],"attestors":[{{{attestors}}}],"mutateDigest":{{{(mutateDigest ? "true" : "false")}}}{{{requiredJson}}}{{{failurePolicyJson}}}}}]""");
    }

    private static string[] Warnings(JsonObject response) =>
        response["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToArray() ?? [];

    private async Task<(RegistryClient Client, ImageName Tagged, OciDigest Digest)> PushAsync(string tag = "v1")
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        var client = registry.CreateClient();
        var tagged = registry.NewRepository(tag);
        var pushed = await TestImages.PushImageAsync(client, tagged);
        return (client, tagged, pushed.Digest);
    }

    /// <summary>A pushed image signed with <paramref name="key"/> (what most of these tests start from).</summary>
    private async Task<(RegistryClient Client, ImageName Tagged, OciDigest Digest)> PushSignedAsync(TestKeyPair key, string tag = "v1")
    {
        var (client, tagged, digest) = await PushAsync(tag);
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        return (client, tagged, digest);
    }

    private static string Message(JsonObject response) => response["status"]?["message"]?.GetValue<string>() ?? "";

    [SkippableFact]
    public async Task Signed_image_is_allowed_and_unsigned_is_denied_naming_the_image()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));

        var unsigned = await harness.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, unsigned.Result);
        Assert.Contains($"image \"{tagged}\" is not signed as required", Message(unsigned.Response));
        Assert.Contains("no cosign signatures", Message(unsigned.Response));

        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        using var fresh = new Harness(harness.Policy); // a new cache: the unsigned result above is cached for the TTL
        var signed = await fresh.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Allowed, signed.Result);
        Assert.True(signed.Response["allowed"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task Images_the_rule_does_not_target_are_not_looked_up()
    {
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy("registry.example.com/*", keys: key));
        Assert.Null(harness.Wiring.Step.Collect(ReviewOf("nginx:1.25")));
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync("nginx:1.25")).Result);
    }

    [SkippableFact]
    public async Task Signature_by_another_key_is_denied()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var signer = new TestKeyPair();
        using var required = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), signer.Key);
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: required));
        var denied = await harness.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains("does not verify with any given key", Message(denied.Response));
    }

    [SkippableFact]
    public async Task Two_of_three_attestors_are_enough_when_required_is_two_but_one_is_not()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var a = new TestKeyPair();
        using var b = new TestKeyPair();
        using var c = new TestKeyPair();
        var signer = new CosignSigner(client);
        await signer.SignAsync(tagged.WithDigest(digest), a.Key);
        using (var one = new Harness(SignaturePolicy($"{registry.Host}/*", required: 2, keys: [a, b, c])))
        {
            var denied = await one.AdmitAsync(tagged.ToString());
            Assert.Equal(AdmissionResult.Denied, denied.Result);
            Assert.Contains("1 of the required 2 attestor key(s)", Message(denied.Response));
        }
        await signer.SignAsync(tagged.WithDigest(digest), c.Key);
        using var two = new Harness(SignaturePolicy($"{registry.Host}/*", required: 2, keys: [a, b, c]));
        Assert.Equal(AdmissionResult.Allowed, (await two.AdmitAsync(tagged.ToString())).Result);
    }

    [SkippableFact]
    public async Task Tampered_payload_is_denied()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var key = new TestKeyPair();
        var signed = await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        var signature = await client.GetManifestAsync(signed.SignatureImage);
        var manifest = JsonSerializer.Deserialize(signature.Content, RegistryJsonContext.Default.OciManifest)!;
        var payload = Encoding.UTF8.GetString(await client.GetBlobAsync(tagged, OciDigest.Parse(manifest.Layers[0].Digest)));
        var altered = Encoding.UTF8.GetBytes(payload.Replace("cosign container image signature", "cosign container image signaturf"));
        manifest.Layers[0].Digest = (await client.PushBlobAsync(tagged, altered)).ToString();
        manifest.Layers[0].Size = altered.Length;
        await client.PutManifestAsync(signed.SignatureImage, JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.OciManifest), MediaTypes.OciManifest);

        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var denied = await harness.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        // The altered payload is stored under its own digest, so only the signature check can catch it.
        Assert.Contains("signature does not verify with any given key", Message(denied.Response));
    }

    [SkippableFact]
    public async Task Tag_moved_after_signing_is_denied()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key, "stable");
        using var _ = client;
        var moved = await TestImages.PushImageAsync(client, tagged);

        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        var denied = await harness.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains(moved.Digest.ToString(), Message(denied.Response));
        // Pinned to the signed digest, the same image is allowed.
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync($"{tagged}@{digest}")).Result);
    }

    [SkippableFact]
    public async Task Multi_arch_index_is_verified_over_the_index_digest()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var tagged = registry.NewRepository("multi");
        var (index, _, _) = await TestImages.PushIndexAsync(client, tagged);
        using var key = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(index.Digest), key.Key);
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync(tagged.ToString())).Result);
    }

    [SkippableFact]
    public async Task Mutate_pins_the_verified_digest_and_leaves_pinned_images_alone()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var _ = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", mutateDigest: true, keys: key));

        var (result, response) = await harness.AdmitAsync(tagged.ToString(), AdmissionEndpoint.Mutate);
        Assert.Equal(AdmissionResult.Patched, result);
        var patch = JsonNode.Parse(Convert.FromBase64String(response["patch"]!.GetValue<string>()))!.AsArray();
        var op = Assert.Single(patch)!.AsObject();
        Assert.Equal("add", op["op"]!.GetValue<string>());
        Assert.Equal("/spec/containers/0/image", op["path"]!.GetValue<string>());
        Assert.Equal($"{tagged}@{digest}", op["value"]!.GetValue<string>());

        var pinned = await harness.AdmitAsync($"{tagged}@{digest}", AdmissionEndpoint.Mutate);
        Assert.Equal(AdmissionResult.Allowed, pinned.Result);
        Assert.Null(pinned.Response["patch"]);
    }

    [SkippableFact]
    public async Task Results_are_cached_per_digest_and_key_set()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var _ = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));

        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync($"{tagged}@{digest}")).Result);
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync($"{tagged}@{digest}")).Result);
        Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync(tagged.ToString())).Result); // same digest by tag
        Assert.Equal(1, harness.Counter("security_operator_image_verification_cache_total", "miss"));
        Assert.Equal(2, harness.Counter("security_operator_image_verification_cache_total", "hit"));
        Assert.Equal(1, harness.Counter("security_operator_image_verifications_total", "verified"));
    }

    [SkippableFact]
    public async Task Concurrent_requests_for_one_digest_share_one_verification()
    {
        using var key = new TestKeyPair();
        var (client, tagged, digest) = await PushSignedAsync(key);
        using var _ = client;
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", keys: key));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.AdmitAsync($"{tagged}@{digest}")));
        Assert.All(results, r => Assert.Equal(AdmissionResult.Allowed, r.Result));
        // Whether a caller joined the flight in progress or found its cached result, the registry was asked once.
        Assert.Equal(1, harness.Counter("security_operator_image_verifications_total", "verified"));
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_denies_within_the_budget_with_the_reason()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{fake.Host}/*", keys: key), budget: TimeSpan.FromMilliseconds(500));
        var denied = await harness.AdmitAsync($"{fake.Host}/slow/app:v1");
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains("could not be checked", Message(denied.Response));
        Assert.Contains(fake.Host, Message(denied.Response));
        Assert.Equal(1, harness.Counter("security_operator_image_verifications_total", "error"));
    }

    [Fact]
    public async Task A_registry_that_is_down_denies_with_the_reason()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var host = $"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{host}/*", keys: key));
        var denied = await harness.AdmitAsync($"{host}/team/app:v1");
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains($"registry {host}", Message(denied.Response));
    }

    [Fact]
    public void Without_verification_outcomes_a_targeted_image_fails_closed()
    {
        using var key = new TestKeyPair();
        var policy = SignaturePolicy("registry.example.com/*", keys: key);
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, ReviewOf("registry.example.com/team/app:v1"), policy);
        Assert.Equal(AdmissionResult.Denied, result);
        Assert.Contains("no registry verification ran", Message(review.Response()));
    }

    [Fact]
    public async Task A_registry_that_is_down_under_failurePolicy_ignore_allows_with_a_warning_naming_image_and_error()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var host = $"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{host}/*", "ignore", keys: key));
        var image = $"{host}/team/app:v1";
        var admitted = await harness.AdmitAsync(image);
        Assert.Equal(AdmissionResult.Warned, admitted.Result);
        Assert.True(admitted.Response["allowed"]!.GetValue<bool>());
        var warning = Assert.Single(Warnings(admitted.Response));
        Assert.Equal($"p/r: container \"app\": image \"{image}\" unverified, failurePolicy ignore: registry unreachable", warning);

        using var failing = new Harness(SignaturePolicy($"{host}/*", "fail", keys: key));
        Assert.Equal(AdmissionResult.Denied, (await failing.AdmitAsync(image)).Result);
    }

    [Theory]
    [InlineData("slow", AdmissionResult.Warned, "registry timed out")]      // the registry could not be asked
    [InlineData("broken", AdmissionResult.Warned, "registry answered 503")] // 5xx
    [InlineData("lying", AdmissionResult.Denied, "")]                       // content not matching its digest: an answer
    [InlineData("missing", AdmissionResult.Denied, "does not exist")]       // the registry says there is no such image
    public async Task Under_failurePolicy_ignore_only_a_registry_that_cannot_be_asked_is_let_through(string repository,
        AdmissionResult expected, string reason)
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var key = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{fake.Host}/*", "ignore", keys: key), budget: TimeSpan.FromMilliseconds(500));
        var image = $"{fake.Host}/{repository}/app:v1";
        var admitted = await harness.AdmitAsync(image);
        Assert.Equal(expected, admitted.Result);
        var text = expected == AdmissionResult.Denied ? Message(admitted.Response) : Assert.Single(Warnings(admitted.Response));
        Assert.Contains($"image \"{image}\"", text);
        Assert.Contains(reason, text);
        if (expected == AdmissionResult.Denied) Assert.Contains("could not be checked", text);
    }

    [SkippableFact]
    public async Task Under_failurePolicy_ignore_an_unsigned_image_or_another_key_is_still_denied()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var key = new TestKeyPair();
        using var other = new TestKeyPair();
        using var harness = new Harness(SignaturePolicy($"{registry.Host}/*", "ignore", keys: key));

        var unsigned = await harness.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, unsigned.Result);
        Assert.Contains("no cosign signatures", Message(unsigned.Response));

        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), other.Key);
        using var fresh = new Harness(harness.Policy); // a new cache: the unsigned result above is cached for the TTL
        var wrongKey = await fresh.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, wrongKey.Result);
        Assert.Empty(Warnings(wrongKey.Response));
    }
}
