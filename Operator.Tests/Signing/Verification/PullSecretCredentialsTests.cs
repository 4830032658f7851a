using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Registry;
using SecurityOperator.Signing.Verification;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Signing.Verification;

public class PullSecretCredentialsTests
{
    private static JsonObject DockerSecret(string name, string host, string user, string password) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team" },
        ["type"] = "kubernetes.io/dockerconfigjson",
        ["data"] = new JsonObject
        {
            [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{{\"auths\":{{\"{host}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password))}\"}}}}}}")),
        },
    };

    [Fact]
    public async Task Pod_pull_secrets_come_first_then_the_service_accounts_and_missing_ones_are_skipped()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("team");
        cluster.Api.Seed(ResourceCatalog.Secrets, DockerSecret("pod-secret", "registry.example.com", "pod-user", "p1"));
        cluster.Api.Seed(ResourceCatalog.Secrets, DockerSecret("sa-secret", "registry.example.com", "sa-user", "p2"));
        cluster.Api.Seed(ResourceCatalog.Secrets, DockerSecret("sa-other", "ghcr.io", "gh-user", "p3"));
        cluster.Api.Seed(ResourceCatalog.ServiceAccounts, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "builder", ["namespace"] = "team" },
            ["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "sa-secret" }, new JsonObject { ["name"] = "sa-other" }),
        });

        var credentials = await new PullSecretCredentials(cluster.Client).ResolveAsync("team", "builder", ["missing", "pod-secret"], CancellationToken.None);

        Assert.Equal(new RegistryCredentials("pod-user", "p1"), credentials.Find("registry.example.com"));
        Assert.Equal(new RegistryCredentials("gh-user", "p3"), credentials.Find("ghcr.io"));
        Assert.Null(credentials.Find("quay.io"));
        // Every request it made is one it declares.
        foreach (var request in cluster.Api.Requests.Where(r => r.Path.Contains("/secrets/") || r.Path.Contains("/serviceaccounts/")))
            Assert.Contains(ApiAccessOfRequest.Map(request.Method, request.Path, request.Query)!.Value, PullSecretCredentials.Calls);
    }
}
