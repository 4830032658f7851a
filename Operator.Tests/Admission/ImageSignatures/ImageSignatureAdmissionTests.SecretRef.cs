using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Admission;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>Attestor keys from Secrets (secretRef), end to end: read through the API double, verified against the
/// loopback registry; a key that cannot be had denies naming policy, rule, Secret and key, whatever failurePolicy.</summary>
public partial class ImageSignatureAdmissionTests
{
    private const string SecretRefAttestor = """{"name":"release","secretRef":{"name":"cosign-keys","namespace":"team"}}""";

    private static CompiledPolicy SecretRefPolicy(string images, string failurePolicy = "fail") => PolicyTestKit.Rule(
        $$$"""[{"imageSignature":{"images":[{{{System.Text.Json.JsonSerializer.Serialize(images)}}}],"attestors":[{{{SecretRefAttestor}}}],"failurePolicy":"{{{failurePolicy}}}"}}]""");

    private static JsonObject KeySecret(string pem) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "cosign-keys", ["namespace"] = "team" },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { ["cosign.pub"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)) },
    };

    [SkippableFact]
    public async Task A_key_from_a_Secret_allows_what_it_signed_and_denies_what_another_key_signed()
    {
        var (client, tagged, digest) = await PushAsync();
        using var _ = client;
        using var key = new TestKeyPair();
        using var other = new TestKeyPair();
        await new CosignSigner(client).SignAsync(tagged.WithDigest(digest), key.Key);
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret(key.PublicPem));

        using (var harness = new Harness(SecretRefPolicy($"{registry.Host}/*"), keys: new AttestorKeyResolver(cluster.Client)))
            Assert.Equal(AdmissionResult.Allowed, (await harness.AdmitAsync(tagged.ToString())).Result);

        cluster.Api.Update(ResourceCatalog.Secrets, KeySecret(other.PublicPem));
        using var rotated = new Harness(SecretRefPolicy($"{registry.Host}/*"), keys: new AttestorKeyResolver(cluster.Client));
        var denied = await rotated.AdmitAsync(tagged.ToString());
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains("does not verify with any given key", Message(denied.Response));
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("ignore")] // failurePolicy is about registries that do not answer, not about the policy's own keys
    public async Task A_missing_Secret_denies_naming_policy_rule_Secret_and_key(string failurePolicy)
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        using var harness = new Harness(SecretRefPolicy("registry.example.com/*", failurePolicy), keys: new AttestorKeyResolver(cluster.Client));
        var denied = await harness.AdmitAsync("registry.example.com/team/app:v1");
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        var message = Message(denied.Response);
        Assert.Contains("[ClusterSecurityPolicy p/r] container \"app\"", message); // policy and rule
        Assert.Contains("image \"registry.example.com/team/app:v1\" is not signed as required: its signature could not be checked: " +
                        "attestor release: Secret team/cosign-keys key cosign.pub: the Secret does not exist", message);
        Assert.Empty(Warnings(denied.Response));
    }

    [Fact]
    public async Task A_Secret_without_the_key_or_with_a_bad_PEM_denies_naming_it()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        cluster.Api.Seed(ResourceCatalog.Secrets, KeySecret("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        using var harness = new Harness(SecretRefPolicy("registry.example.com/*"), keys: new AttestorKeyResolver(cluster.Client));
        var denied = await harness.AdmitAsync("registry.example.com/team/app:v1");
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains("attestor release: key Secret team/cosign-keys key cosign.pub is not a PEM public key", Message(denied.Response));
    }

    [Fact]
    public async Task Without_an_API_server_a_secretRef_denies_saying_it_cannot_be_read_standalone()
    {
        using var harness = new Harness(SecretRefPolicy("registry.example.com/*")); // the step's default: no API client
        var denied = await harness.AdmitAsync("registry.example.com/team/app:v1");
        Assert.Equal(AdmissionResult.Denied, denied.Result);
        Assert.Contains("attestor release: Secret team/cosign-keys key cosign.pub cannot be read: the webhook runs without an API server (--kubeconfig none)",
            Message(denied.Response));
    }
}
