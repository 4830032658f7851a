using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Signing.Verification;

/// <summary>Attestor keys from Secrets: read through the API, cached for the TTL (so rotation takes effect within it),
/// concurrent reads shared, every problem named with the attestor, the Secret and the data key.</summary>
public class AttestorKeyResolverTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now;
        public override long GetTimestamp() => Now;
        public override long TimestampFrequency => 1000;
    }

    private static JsonObject KeySecret(string name, string key, string value) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team" },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) },
    };

    private static ImageSignatureCondition Condition(params (string Name, string SecretName, string Key)[] attestors)
    {
        var list = string.Join(",", attestors.Select(a =>
            $"{{\"name\":\"{a.Name}\",\"secretRef\":{{\"name\":\"{a.SecretName}\",\"namespace\":\"team\",\"key\":\"{a.Key}\"}}}}"));
        var policy = SecurityOperator.Tests.Policy.PolicyTestKit.Rule($"[{{\"imageSignature\":{{\"images\":[\"*\"],\"attestors\":[{list}]}}}}]");
        return Assert.IsType<ImageSignatureCondition>(Assert.Single(Assert.Single(policy.Rules).Conditions));
    }

    private static string Fp(TestKeyPair pair)
    {
        using var key = pair.Public();
        return key.Fingerprint;
    }

    private static int SecretReads(DoubleCluster cluster, string name) =>
        cluster.Api.Requests.Count(r => r.Method == "GET" && r.Path == $"/api/v1/namespaces/team/secrets/{name}");

    [Fact]
    public async Task A_key_is_read_once_per_ttl_and_a_rotated_key_is_used_after_it()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var first = new TestKeyPair();
        using var second = new TestKeyPair();
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("cosign-keys", "cosign.pub", first.PublicPem));
        var time = new ManualTime();
        var resolver = new AttestorKeyResolver(cluster.Client, TimeSpan.FromSeconds(60), time: time);
        var condition = Condition(("release", "cosign-keys", "cosign.pub"));

        var keys = await resolver.ResolveAsync(condition, CancellationToken.None);
        Assert.Equal(Fp(first), Assert.Single(keys.Keys).Fingerprint);
        cluster.Api.Update(ResourceCatalog.Secrets, KeySecret("cosign-keys", "cosign.pub", second.PublicPem));
        time.Now = 59_000;
        Assert.Equal(Fp(first), Assert.Single((await resolver.ResolveAsync(condition, CancellationToken.None)).Keys).Fingerprint);
        Assert.Equal(1, SecretReads(cluster, "cosign-keys"));

        time.Now = 60_000;
        var rotated = await resolver.ResolveAsync(condition, CancellationToken.None);
        Assert.Equal(Fp(second), Assert.Single(rotated.Keys).Fingerprint);
        Assert.NotEqual(keys.Id, rotated.Id); // verification results of the old key are not reused
        Assert.Equal(2, SecretReads(cluster, "cosign-keys"));
        foreach (var request in cluster.Api.Requests.Where(r => r.Path.Contains("/secrets/")))
            Assert.Contains(ApiAccessOfRequest.Map(request.Method, request.Path, request.Query)!.Value, AttestorKeyResolver.Calls);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_read()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var key = new TestKeyPair();
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("cosign-keys", "cosign.pub", key.PublicPem));
        var resolver = new AttestorKeyResolver(cluster.Client);
        var condition = Condition(("release", "cosign-keys", "cosign.pub"));
        var sets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => resolver.ResolveAsync(condition, CancellationToken.None)));
        Assert.All(sets, s => Assert.Equal(Fp(key), Assert.Single(s.Keys).Fingerprint));
        Assert.Equal(1, SecretReads(cluster, "cosign-keys"));
    }

    [Fact]
    public async Task Problems_name_the_attestor_the_Secret_and_the_key_and_definite_ones_are_cached()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("wrong-key", "release.pub", "x"));
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("bad-pem", "cosign.pub", "not a key"));
        var resolver = new AttestorKeyResolver(cluster.Client);

        async Task<string> Problem(string secret, string key) =>
            (await Assert.ThrowsAsync<AttestorKeyException>(() => resolver.ResolveAsync(Condition(("release", secret, key)), CancellationToken.None))).Message;

        Assert.Equal("attestor release: Secret team/missing key cosign.pub: the Secret does not exist", await Problem("missing", "cosign.pub"));
        Assert.Equal("attestor release: Secret team/wrong-key key cosign.pub: the Secret has no data key cosign.pub", await Problem("wrong-key", "cosign.pub"));
        var pem = await Problem("bad-pem", "cosign.pub");
        Assert.StartsWith("attestor release: key Secret team/bad-pem key cosign.pub is not a PEM public key", pem);
        await Problem("missing", "cosign.pub");
        Assert.Equal(1, SecretReads(cluster, "missing")); // a missing Secret is not asked for again within the TTL
    }

    [Fact]
    public async Task A_failed_read_is_not_cached()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var key = new TestKeyPair();
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("cosign-keys", "cosign.pub", key.PublicPem));
        cluster.Api.FailNext("GET", "/secrets/cosign-keys", 403, "Forbidden", "secrets \"cosign-keys\" is forbidden");
        var resolver = new AttestorKeyResolver(cluster.Client);
        var condition = Condition(("release", "cosign-keys", "cosign.pub"));

        var error = await Assert.ThrowsAsync<AttestorKeyException>(() => resolver.ResolveAsync(condition, CancellationToken.None));
        Assert.StartsWith("attestor release: Secret team/cosign-keys key cosign.pub: reading it through the API failed:", error.Message);
        Assert.Contains("forbidden", error.Message);
        Assert.Single((await resolver.ResolveAsync(condition, CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task Two_attestors_whose_Secrets_hold_the_same_key_are_refused()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var key = new TestKeyPair();
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("a", "cosign.pub", key.PublicPem));
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("b", "cosign.pub", key.PublicPem));
        var error = await Assert.ThrowsAsync<AttestorKeyException>(() =>
            new AttestorKeyResolver(cluster.Client).ResolveAsync(Condition(("a", "a", "cosign.pub"), ("b", "b", "cosign.pub")), CancellationToken.None));
        Assert.StartsWith("attestors a and b have the same key", error.Message);
    }

    [Fact]
    public async Task Without_an_API_client_a_secretRef_cannot_be_resolved_and_says_so()
    {
        var error = await Assert.ThrowsAsync<AttestorKeyException>(() =>
            new AttestorKeyResolver(null).ResolveAsync(Condition(("release", "cosign-keys", "cosign.pub")), CancellationToken.None));
        Assert.Equal("attestor release: Secret team/cosign-keys key cosign.pub cannot be read: the webhook runs without an API server " +
                     "(--kubeconfig none); give the key inline (publicKey) in standalone mode", error.Message);
    }

    [Fact]
    public async Task The_cache_is_bounded()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var key = new TestKeyPair();
        for (var i = 0; i < 5; i++) cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret($"k{i}", "cosign.pub", key.PublicPem));
        var resolver = new AttestorKeyResolver(cluster.Client, capacity: 3);
        for (var i = 0; i < 5; i++) await resolver.ResolveAsync(Condition(("release", $"k{i}", "cosign.pub")), CancellationToken.None);
        Assert.True(resolver.CachedSecrets <= 3, $"{resolver.CachedSecrets} entries");
        // What was evicted is read again.
        await resolver.ResolveAsync(Condition(("release", "k0", "cosign.pub")), CancellationToken.None);
        Assert.Equal(2, SecretReads(cluster, "k0"));
    }
}
