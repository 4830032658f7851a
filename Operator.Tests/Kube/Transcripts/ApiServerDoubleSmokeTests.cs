using System.Net;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>The double's own surface: TLS with its CA, kubeconfig, helpers, auth, fault injection.</summary>
public sealed class ApiServerDoubleSmokeTests
{
    [Fact]
    public async Task Serves_version_over_tls_trusted_by_its_own_ca()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var response = await client.GetAsync("/version");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache, private", response.Headers.CacheControl!.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\n  \"gitVersion\": \"v1.28.7\"", text); // /version is indented (discovery-01)
        Assert.StartsWith("https://127.0.0.1:", api.BaseAddress.ToString());
        Assert.Contains("BEGIN CERTIFICATE", api.CaCertificatePem);
    }

    [Fact]
    public async Task Untrusting_client_fails_the_handshake()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/version"));
    }

    [Fact]
    public async Task Kubeconfig_points_at_the_double_with_ca_and_token()
    {
        await using var api = await ApiServerDouble.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"double-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            api.WriteKubeconfig(path);
            var config = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal("apiserver-double", config["current-context"]!.GetValue<string>());
            Assert.Equal(api.BaseAddress.ToString().TrimEnd('/'), config["clusters"]![0]!["cluster"]!["server"]!.GetValue<string>());
            var ca = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(config["clusters"]![0]!["cluster"]!["certificate-authority-data"]!.GetValue<string>()));
            Assert.Equal(api.CaCertificatePem, ca);
            Assert.Equal(api.BearerToken, config["users"]![0]!["user"]!["token"]!.GetValue<string>());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Seed_and_get_round_trip_and_requests_are_logged()
    {
        await using var api = await ApiServerDouble.StartAsync();
        var seeded = api.Seed("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"team-a"},"data":{"k":"v"}}""");
        Assert.Equal("team-a", seeded.Namespace);
        Assert.NotNull(api.Get(ResourceCatalog.Namespaces, "", "team-a")); // namespace created on demand
        using var client = api.CreateHttpClient();
        var response = await client.GetAsync("/api/v1/namespaces/team-a/configmaps/cfg?x=1");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("v", body["data"]!["k"]!.GetValue<string>());
        Assert.Equal(seeded.ResourceVersion.ToString(), body["metadata"]!["resourceVersion"]!.GetValue<string>());
        var logged = api.Requests.Last();
        Assert.Equal(("GET", "/api/v1/namespaces/team-a/configmaps/cfg", "x=1"), (logged.Method, logged.Path, logged.Query));
    }

    [Fact]
    public async Task Wrong_token_is_401_and_unprivileged_user_is_403_with_plural_kind()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var wrong = api.CreateHttpClient("not-a-token");
        var unauthorized = await wrong.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        api.AddUnprivilegedUser("sa-token", "system:serviceaccount:secops:no-rbac");
        using var sa = api.CreateHttpClient("sa-token");
        var forbidden = await sa.GetAsync("/api/v1/namespaces/secops/pods/web-0");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var status = JsonNode.Parse(await forbidden.Content.ReadAsStringAsync())!;
        Assert.Equal("pods", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("pods \"web-0\" is forbidden: User \"system:serviceaccount:secops:no-rbac\" cannot get resource \"pods\" in API group \"\" in the namespace \"secops\"",
            status["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync("/apis")).StatusCode); // discovery stays allowed
    }

    [Fact]
    public async Task FailNext_injects_a_status_once()
    {
        await using var api = await ApiServerDouble.StartAsync();
        api.FailNext("GET", "/api/v1/namespaces/default/pods", 429, "TooManyRequests", "slow down", retryAfterSeconds: 3);
        using var client = api.CreateHttpClient();
        var first = await client.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal((HttpStatusCode)429, first.StatusCode);
        Assert.Equal("3", first.Headers.GetValues("Retry-After").Single());
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("TooManyRequests", body["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/namespaces/default/pods")).StatusCode);
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        await using var api = await ApiServerDouble.StartAsync(new ApiServerDoubleOptions { MaxRequestBodyBytes = 1024 });
        using var client = api.CreateHttpClient();
        var big = new string('x', 4096);
        var response = await client.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + big + "\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
