using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Write semantics of the double not covered by a single transcript: finalizers, generation, dry runs,
/// namespace deletion, resourceVersion preconditions in DELETE, apply on a custom resource.</summary>
public sealed class StoreSemanticsTests
{
    private static async Task<(HttpStatusCode Code, JsonNode Body)> SendAsync(HttpClient client, HttpMethod method, string path,
        string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private const string Policies = "/apis/security.io/v1/namespaces/default/securitypolicies";

    [Fact]
    public async Task Finalizers_keep_an_object_terminating_until_the_last_one_is_removed()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        await SendAsync(client, HttpMethod.Post, Policies, """{"metadata":{"name":"p","finalizers":["security.io/cleanup"]},"spec":{}}""");
        var (code, pending) = await SendAsync(client, HttpMethod.Delete, $"{Policies}/p");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.NotNull(pending["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(api.Get(ResourceCatalog.SecurityPolicies, "default", "p"));
        await SendAsync(client, HttpMethod.Patch, $"{Policies}/p", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Null(api.Get(ResourceCatalog.SecurityPolicies, "default", "p"));
    }

    [Fact]
    public async Task Generation_bumps_on_spec_changes_only_and_cr_put_needs_a_resource_version()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        await SendAsync(client, HttpMethod.Post, Policies, """{"metadata":{"name":"p"},"spec":{"enforcement":"Audit"}}""");
        var (_, labelled) = await SendAsync(client, HttpMethod.Patch, $"{Policies}/p", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        Assert.Equal(1, labelled["metadata"]!["generation"]!.GetValue<int>());
        var (_, changed) = await SendAsync(client, HttpMethod.Patch, $"{Policies}/p", """{"spec":{"enforcement":"Enforce"}}""", "application/merge-patch+json");
        Assert.Equal(2, changed["metadata"]!["generation"]!.GetValue<int>());
        var (code, invalid) = await SendAsync(client, HttpMethod.Put, $"{Policies}/p", """{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p"},"spec":{}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("metadata.resourceVersion", invalid["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dry_run_create_returns_an_unstored_object_without_resource_version()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        var before = api.ResourceVersion;
        var (code, body) = await SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=All", """{"metadata":{"name":"dry"}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.NotNull(body["metadata"]!["uid"]);
        Assert.Null(body["metadata"]!["resourceVersion"]);
        Assert.Null(api.Get(ResourceCatalog.ConfigMaps, "default", "dry"));
        Assert.Equal(before, api.ResourceVersion);
    }

    [Fact]
    public async Task Delete_resource_version_precondition_and_namespace_deletion_takes_the_contents()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        api.Seed(ResourceCatalog.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = "gone" } });
        var (code, conflict) = await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/gone/configmaps/c",
            """{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"resourceVersion":"1"}}""");
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.StartsWith("Operation cannot be fulfilled on ConfigMap \"c\": the ResourceVersion in the precondition (1)", conflict["message"]!.GetValue<string>());
        var (deleted, ns) = await SendAsync(client, HttpMethod.Delete, "/api/v1/namespaces/gone");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("Namespace", ns["kind"]!.GetValue<string>());
        Assert.Null(api.Get(ResourceCatalog.ConfigMaps, "gone", "c"));
    }

    [Fact]
    public async Task Apply_creates_and_updates_a_custom_resource_and_conflicts_with_another_manager()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        const string config = "apiVersion: security.io/v1\nkind: SecurityPolicy\nmetadata:\n  name: p\nspec:\n  enforcement: Enforce\n";
        var (created, _) = await SendAsync(client, HttpMethod.Patch, $"{Policies}/p?fieldManager=operator", config, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, created);
        var (conflict, status) = await SendAsync(client, HttpMethod.Patch, $"{Policies}/p?fieldManager=other",
            config.Replace("Enforce", "Audit"), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator\" using security.io/v1: .spec.enforcement", status["message"]!.GetValue<string>());
        var (forced, body) = await SendAsync(client, HttpMethod.Patch, $"{Policies}/p?fieldManager=other&force=true",
            config.Replace("Enforce", "Audit"), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.OK, forced);
        Assert.Equal("Audit", body["spec"]!["enforcement"]!.GetValue<string>());
    }
}
