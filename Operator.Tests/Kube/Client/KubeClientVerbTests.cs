using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>The verbs against real answers from the transcripts: what is sent (method, path, query, content type, body)
/// and what is decoded.</summary>
public sealed class KubeClientVerbTests : CannedServerTest
{
    private static JsonNode? Json(string text) => JsonNode.Parse(text);

    [Fact]
    public async Task Get_decodes_the_pod_and_sends_the_standard_headers()
    {
        Serve("pods-02-get.txt", 1);
        using var client = Client();
        var pod = await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

        Assert.Equal("web-0", pod.Metadata.Name);
        Assert.Equal("Pending", pod.Status!.Phase);
        Assert.NotEmpty(pod.Spec!.Containers!);
        var request = Server.Single();
        Assert.Equal("Bearer test-token", request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.StartsWith("security-operator/", request.Headers["User-Agent"]);
    }

    [Fact]
    public async Task List_all_follows_continue_tokens_and_keeps_the_snapshot_version()
    {
        var pages = Transcript.Load("pods-03-list-paging.txt");
        foreach (var page in pages) Server.Respond(page);
        using var client = Client();

        var list = await client.ListAllAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod, pageSize: 2);

        Assert.Equal(["db-3", "db-4", "web-0", "web-1", "web-2"], list.Items.Select(p => p.Metadata.Name));
        Assert.Equal("258", list.Metadata.ResourceVersion);
        Assert.Null(list.Metadata.Continue);
        // The continue tokens went back verbatim, with the same limit.
        Assert.Equal(pages.Select(p => p.PathAndQuery), Server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task List_one_page_exposes_continue_and_remaining_count()
    {
        Serve("pods-03-list-paging.txt", 1);
        using var client = Client();
        var page = await client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod, new ListOptions { Limit = 2 });
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(3, page.Metadata.RemainingItemCount);
        Assert.StartsWith("eyJ2Ijoi", page.Metadata.Continue);
    }

    [Fact]
    public async Task List_all_restarts_unpaged_when_the_continue_token_expired()
    {
        var first = Transcript.Exchange("pods-03-list-paging.txt", 1);
        var expired = Transcript.Exchange("watch-03-410-gone-after-compaction.txt", 2);
        Server.Respond(first).Respond(expired);
        Server.Respond("GET", "/api/v1/namespaces/secops/pods", first.Response);
        using var client = Client();

        var list = await client.ListAllAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod, pageSize: 2);

        Assert.Equal(["/api/v1/namespaces/secops/pods?limit=2", expired.PathAndQuery, "/api/v1/namespaces/secops/pods"],
            Server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(2, list.Items.Count); // the canned "full" answer is page 1 again
    }

    [Fact]
    public async Task Undecodable_list_page_names_the_request_and_the_place()
    {
        // LIST pages are decoded from the response stream (not read whole first): same error as any other verb.
        Server.Respond("GET", "/api/v1/namespaces/secops/pods", new CannedResponse(200, [new("Content-Type", "application/json")],
            "{\"items\": [{\"metadata\": {\"name\": \"a\"}}, {\"metadata\": 7}]}"u8.ToArray()));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeResponseFormatException>(() => client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod));
        Assert.Contains("GET /api/v1/namespaces/secops/pods", e.Message);
        Assert.Contains("$.items[1].metadata", e.Message);
    }

    [Fact]
    public async Task Truncated_or_null_list_page_is_a_format_error()
    {
        Server.Respond("GET", "/api/v1/namespaces/secops/pods", new CannedResponse(200, [new("Content-Type", "application/json")],
            "{\"items\": [{\"metadata\": {\"name\": \"a\"}}"u8.ToArray()));
        Server.Respond("GET", "/api/v1/namespaces/secops/pods", new CannedResponse(200, [new("Content-Type", "application/json")], "null"u8.ToArray()));
        using var client = Client();
        await Assert.ThrowsAsync<KubeResponseFormatException>(() => client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod));
        var e = await Assert.ThrowsAsync<KubeResponseFormatException>(() => client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod));
        Assert.Contains("JSON null", e.Message);
    }

    [Fact]
    public async Task List_error_answers_stay_typed()
    {
        var expired = Transcript.Exchange("watch-03-410-gone-after-compaction.txt", 2);
        Server.Respond(expired);
        using var client = Client();
        var token = expired.PathAndQuery.Split("continue=")[1];
        var e = await Assert.ThrowsAsync<KubeGoneException>(() => client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod,
            new ListOptions { Limit = 2, Continue = token }));
        Assert.Equal(410, e.Code);
        Assert.Equal(expired.PathAndQuery, Server.Single().PathAndQuery);
    }

    [Fact]
    public async Task Selectors_and_versions_are_escaped_into_the_query()
    {
        const string path = "/api/v1/namespaces/secops/pods?labelSelector=app%3Dweb%2Ctier%20in%20%28frontend%29&fieldSelector=spec.nodeName%3D&limit=10&resourceVersion=0&resourceVersionMatch=NotOlderThan";
        Server.Respond("GET", path, Transcript.Exchange("pods-03-list-paging.txt", 3).Response);
        using var client = Client();
        await client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod, new ListOptions
        {
            LabelSelector = "app=web,tier in (frontend)", FieldSelector = "spec.nodeName=", Limit = 10,
            ResourceVersion = "0", ResourceVersionMatch = "NotOlderThan",
        });
        Assert.Equal(path, Server.Single().PathAndQuery);
    }

    [Fact]
    public async Task Create_sends_the_object_and_surfaces_warning_headers()
    {
        var exchange = Serve("errors-422-invalid.txt", 4);
        var warnings = new List<(string Request, string Text)>();
        using var client = Client(new KubeClientOptions { OnWarning = (request, text) => warnings.Add((request, text)) });
        var pod = JsonSerializer.Deserialize(exchange.RequestBody, KubeJsonContext.Default.Pod)!;

        var created = await client.CreateAsync(KubeResource.Pods, "secops", pod, KubeJsonContext.Default.Pod, new WriteOptions { DryRun = true });

        Assert.Equal(pod.Metadata.Name, created.Metadata.Name);
        var (request, text) = Assert.Single(warnings);
        Assert.Equal("POST /api/v1/namespaces/secops/pods?dryRun=All", request);
        Assert.Equal("unknown field \"spec.containers[0].imagePullPolicyy\"", text);
        var sent = Server.Single();
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        // The unknown field the test pod carries survives deserialization and is sent back (nothing lost).
        Assert.True(JsonNode.DeepEquals(Json(exchange.RequestBody), Json(sent.BodyText)));
    }

    [Fact]
    public async Task Raw_request_returns_status_bytes_and_warnings()
    {
        var exchange = Serve("errors-422-invalid.txt", 4);
        using var client = Client(new KubeClientOptions { OnWarning = (_, _) => { } });
        var response = await client.RawAsync(HttpMethod.Post, exchange.PathAndQuery, Encoding.UTF8.GetBytes(exchange.RequestBody));
        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(exchange.Response.Body, response.Body);
        Assert.Single(response.Warnings);
    }

    [Fact]
    public async Task Replace_puts_to_the_object_path_and_conflicts_are_typed()
    {
        var stale = Transcript.Exchange("pods-09-put-conflict.txt", 3);
        var retry = Transcript.Exchange("pods-09-put-conflict.txt", 4);
        Server.Respond(stale).Respond(retry);
        using var client = Client();
        var pod = JsonSerializer.Deserialize(stale.RequestBody, KubeJsonContext.Default.Pod)!;

        await Assert.ThrowsAsync<KubeConflictException>(() => client.ReplaceAsync(KubeResource.Pods, null, pod, KubeJsonContext.Default.Pod));
        var fresh = JsonSerializer.Deserialize(retry.RequestBody, KubeJsonContext.Default.Pod)!;
        var updated = await client.ReplaceAsync(KubeResource.Pods, null, fresh, KubeJsonContext.Default.Pod);

        Assert.NotEqual(fresh.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.All(Server.Requests, r => Assert.Equal("PUT", r.Method));
        Assert.True(JsonNode.DeepEquals(Json(retry.RequestBody), Json(Server.Requests.Last().BodyText)));
    }

    [Fact]
    public async Task Delete_of_a_pod_returns_the_object()
    {
        Serve("pods-10-delete.txt", 1);
        using var client = Client();
        var result = await client.DeleteAsync(KubeResource.Pods, "secops", "web-ssa", KubeJsonContext.Default.Pod);
        Assert.Null(result.Status);
        Assert.Equal("web-ssa", result.Object!.Metadata.Name);
        Assert.NotNull(result.Object.Metadata.DeletionTimestamp);
        Assert.Empty(Server.Single().Body);
    }

    [Fact]
    public async Task Delete_options_are_sent_as_the_body()
    {
        var exchange = Serve("pods-10-delete.txt", 5);
        using var client = Client();
        var result = await client.DeleteAsync(KubeResource.Pods, "secops", "db-4", KubeJsonContext.Default.Pod,
            new DeleteOptions { GracePeriodSeconds = 0, PropagationPolicy = PropagationPolicy.Background });
        Assert.Equal(0, result.Object!.Metadata.DeletionGracePeriodSeconds);
        Assert.True(JsonNode.DeepEquals(Json(exchange.RequestBody), Json(Server.Single().BodyText)));
    }

    [Fact]
    public async Task Delete_precondition_mismatch_is_a_conflict()
    {
        var exchange = Serve("pods-10-delete.txt", 7);
        using var client = Client();
        await Assert.ThrowsAsync<KubeConflictException>(() => client.DeleteAsync(KubeResource.Pods, "secops", "web-2", KubeJsonContext.Default.Pod,
            new DeleteOptions { Preconditions = new Preconditions { Uid = "00000000-0000-0000-0000-000000000000" } }));
        Assert.True(JsonNode.DeepEquals(Json(exchange.RequestBody), Json(Server.Single().BodyText)));
    }

    [Fact]
    public async Task Delete_of_a_custom_resource_or_lease_returns_a_status()
    {
        Serve("crd-02-custom-resource-status-subresource.txt", 6);
        Serve("coord-01-lease-leader-election.txt", 9);
        using var client = Client();

        var policy = await client.DeleteAsync(KubeResource.SecurityPolicies, "secops", "audit-only", ClientTestJsonContext.Default.UntypedObject);
        var lease = await client.DeleteAsync(KubeResource.Leases, "secops", "secop-operator-leader", KubeJsonContext.Default.Lease);

        Assert.Null(policy.Object);
        Assert.True(policy.Status!.IsSuccess);
        Assert.Equal("audit-only", policy.Status.Details!.Name);
        Assert.Equal("leases", lease.Status!.Details!.Kind);
    }

    [Fact]
    public async Task Eviction_success_is_a_201_status()
    {
        var exchange = Serve("pods-11-eviction.txt", 1);
        using var client = Client();
        var status = await client.EvictAsync("secops", "web-2");
        Assert.True(status.IsSuccess);
        Assert.Equal(201, status.Code);
        Assert.True(JsonNode.DeepEquals(Json(exchange.RequestBody), Json(Server.Single().BodyText)));
    }

    [Theory]
    [InlineData("pods-05-patch-merge.txt", 1, PatchType.Merge, "application/merge-patch+json")]
    [InlineData("pods-06-patch-jsonpatch.txt", 1, PatchType.Json, "application/json-patch+json")]
    [InlineData("pods-07-patch-strategic.txt", 1, PatchType.StrategicMerge, "application/strategic-merge-patch+json")]
    public async Task Patch_sends_the_document_with_its_content_type(string file, int number, PatchType type, string contentType)
    {
        var exchange = Serve(file, number);
        using var client = Client();
        var name = exchange.PathAndQuery.Split('/')[^1];
        var pod = await client.PatchAsync(KubeResource.Pods, "secops", name, type, Encoding.UTF8.GetBytes(exchange.RequestBody), KubeJsonContext.Default.Pod);

        Assert.Equal(name, pod.Metadata.Name);
        var sent = Server.Single();
        Assert.Equal("PATCH", sent.Method);
        Assert.Equal(contentType, sent.Headers["Content-Type"]);
        Assert.Equal(exchange.RequestBody, sent.BodyText);
    }

    [Fact]
    public async Task Server_side_apply_sends_field_manager_and_force()
    {
        var exchange = Transcript.Load("pods-08-patch-server-side-apply.txt").First(e => e.PathAndQuery.EndsWith("&force=true", StringComparison.Ordinal));
        Server.Respond(exchange);
        using var client = Client();
        await client.PatchAsync(KubeResource.Pods, "secops", "ssa-demo", PatchType.Apply, Encoding.UTF8.GetBytes(exchange.RequestBody),
            KubeJsonContext.Default.Pod, new PatchOptions { FieldManager = "secop-operator", Force = true });
        var sent = Server.Single();
        Assert.Equal(exchange.PathAndQuery, sent.PathAndQuery);
        Assert.Equal("application/apply-patch+yaml", sent.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Apply_without_field_manager_is_refused_before_sending()
    {
        using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.PatchAsync(KubeResource.Pods, "secops", "p", PatchType.Apply, "{}"u8.ToArray(), KubeJsonContext.Default.Pod));
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Status_subresource_patch_goes_to_the_status_path()
    {
        var exchange = Serve("crd-02-custom-resource-status-subresource.txt", 2);
        using var client = Client();
        var policy = await client.PatchStatusAsync(KubeResource.SecurityPolicies, "secops", "no-privileged", PatchType.Merge,
            Encoding.UTF8.GetBytes(exchange.RequestBody), ClientTestJsonContext.Default.UntypedObject);
        Assert.True(policy.Extra!.ContainsKey("status"));
        Assert.EndsWith("/no-privileged/status", Server.Single().PathAndQuery);
    }

    [Fact]
    public async Task Status_subresource_get_and_replace_use_the_status_path()
    {
        var get = Transcript.Exchange("crd-02-custom-resource-status-subresource.txt", 3);
        Server.Respond("GET", get.PathAndQuery + "/status", get.Response);
        Server.Respond("PUT", get.PathAndQuery + "/status", get.Response);
        using var client = Client();
        var policy = await client.GetStatusAsync(KubeResource.SecurityPolicies, "secops", "no-privileged", ClientTestJsonContext.Default.UntypedObject);
        await client.ReplaceStatusAsync(KubeResource.SecurityPolicies, "secops", policy, ClientTestJsonContext.Default.UntypedObject);
        Assert.Equal(["GET", "PUT"], Server.Requests.Select(r => r.Method));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(get.Response.Body), Json(Server.Requests.Last().BodyText)));
    }

    [Fact]
    public async Task Lease_create_writes_microtime_with_six_digits()
    {
        var exchange = Serve("coord-01-lease-leader-election.txt", 1);
        using var client = Client();
        var lease = new Lease
        {
            Metadata = new ObjectMeta { Name = "secop-operator-leader" },
            Spec = new LeaseSpec
            {
                HolderIdentity = "secop-operator-7d9f-abcde",
                LeaseDurationSeconds = 15,
                AcquireTime = DateTimeOffset.Parse("2026-11-22T11:32:13.621519Z"),
                RenewTime = DateTimeOffset.Parse("2026-11-22T11:32:13.6215419Z"), // 7 digits: truncated to 6 on the wire
                LeaseTransitions = 0,
            },
        };
        var created = await client.CreateAsync(KubeResource.Leases, "secops", lease, KubeJsonContext.Default.Lease);

        Assert.True(JsonNode.DeepEquals(Json(exchange.RequestBody), Json(Server.Single().BodyText)));
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T11:32:13.621541Z"), created.Spec!.RenewTime);
        Assert.Equal("503", created.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Undecodable_success_body_names_the_request()
    {
        Server.Respond("GET", "/api/v1/namespaces/secops/pods/p", new CannedResponse(200, [new("Content-Type", "application/json")], "{\"metadata\": 7}"u8.ToArray()));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeResponseFormatException>(() => client.GetAsync(KubeResource.Pods, "secops", "p", KubeJsonContext.Default.Pod));
        Assert.Contains("GET /api/v1/namespaces/secops/pods/p", e.Message);
        Assert.Contains("$.metadata", e.Message);
    }
}
