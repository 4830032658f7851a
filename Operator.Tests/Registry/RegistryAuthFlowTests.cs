using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

public class RegistryAuthFlowTests
{
    private static RegistryClient Client(IRegistryCredentialSource? credentials = null, TimeSpan? timeout = null) =>
        new(new RegistryClientOptions
        {
            InsecureLoopback = true,
            Credentials = credentials ?? AnonymousCredentials.Instance,
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    private sealed class OneRegistry(string registry, RegistryCredentials credentials) : IRegistryCredentialSource
    {
        public RegistryCredentials? Find(string r) => r == registry ? credentials : null;
    }

    [Fact]
    public async Task Anonymous_bearer_challenge_gets_a_token_and_reuses_it()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var client = Client();
        var image = ImageName.Parse($"{fake.Host}/team/app:v1");

        var manifest = await client.GetManifestAsync(image);
        Assert.Equal(OciDigest.Sha256Of(FakeTokenRegistry.Manifest), manifest.Digest);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        var query = Assert.Single(fake.TokenRequests);
        Assert.Contains("service=fake-registry", query);
        Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull", query);
        Assert.Null(Assert.Single(fake.TokenAuthorizations));

        var head = await client.HeadManifestAsync(image);
        Assert.Equal(manifest.Digest, head!.Digest);
        Assert.Single(fake.TokenRequests); // the cached token served the second request: no new token round trip
        Assert.Equal(3, fake.ManifestRequests); // 401, then GET with the token, then HEAD with the cached token
    }

    [Fact]
    public async Task Credentials_go_to_the_token_endpoint_as_basic()
    {
        await using var fake = await FakeTokenRegistry.StartAsync(requiredBasic: "robot:s3cret");
        var image = ImageName.Parse($"{fake.Host}/team/app:v1");
        using var client = Client(new OneRegistry(fake.Host, new RegistryCredentials("robot", "s3cret")));

        var manifest = await client.GetManifestAsync(image);
        Assert.True(manifest.Digest.Matches(FakeTokenRegistry.Manifest));
        Assert.Equal("Basic cm9ib3Q6czNjcmV0", Assert.Single(fake.TokenAuthorizations));
    }

    [Fact]
    public async Task Rejected_credentials_are_a_clear_error_naming_the_user()
    {
        await using var fake = await FakeTokenRegistry.StartAsync(requiredBasic: "robot:s3cret");
        var image = ImageName.Parse($"{fake.Host}/team/app:v1");
        using var client = Client(new OneRegistry(fake.Host, new RegistryCredentials("robot", "wrong")));

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(image));
        Assert.Contains("token endpoint", e.Message);
        Assert.Contains("401", e.Message);
        Assert.Contains("as robot", e.Message);
        Assert.DoesNotContain("wrong", e.Message);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_fails_within_the_request_timeout()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var client = Client(timeout: TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageName.Parse($"{fake.Host}/slow/app:v1")));
        Assert.Contains("no answer within 0.3 s", e.Message);
        Assert.Contains(fake.Host, e.Message);
    }

    [Fact]
    public async Task A_registry_that_is_down_is_a_clear_error()
    {
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var host = $"127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}";
        port.Stop(); // nothing listens there any more
        using var client = Client(timeout: TimeSpan.FromSeconds(5));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageName.Parse($"{host}/team/app:v1")));
        Assert.Contains($"registry {host}", e.Message);
        Assert.Contains("GET manifest", e.Message);
    }

    [Fact]
    public async Task Content_that_does_not_match_the_announced_digest_is_refused()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var client = Client();
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => client.GetManifestAsync(ImageName.Parse($"{fake.Host}/lying/app:v1")));
        Assert.Contains("hashes differently", e.Message);
    }

    [Fact]
    public async Task Content_that_does_not_match_the_digest_asked_for_is_refused()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var client = Client();
        var asked = ImageName.Parse($"{fake.Host}/lying/app@sha256:{new string('2', 64)}");
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => client.GetManifestAsync(asked));
        Assert.Contains($"does not hash to sha256:{new string('2', 64)}", e.Message);
    }

    [Fact]
    public async Task Insecure_is_refused_for_a_registry_that_is_not_loopback()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(ImageName.Parse("registry.example.com/app:v1")));
        Assert.Contains("not a loopback address", e.Message);
    }

    [Fact]
    public async Task Unknown_repository_is_not_found_with_the_registry_error_code()
    {
        await using var fake = await FakeTokenRegistry.StartAsync();
        using var client = Client();
        var image = ImageName.Parse($"{fake.Host}/nobody/here:v1");
        Assert.Null(await client.HeadManifestAsync(image));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(image));
        Assert.True(e.IsNotFound);
        Assert.Contains("NAME_UNKNOWN", e.Message);
    }
}
