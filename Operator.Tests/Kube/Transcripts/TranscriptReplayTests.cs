using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Replays the non-stream transcripts against the double, in recorded order, after seeding the state each
/// transcript's SETUP implies, and compares every answer with the recording (<see cref="TranscriptReplayer"/>).
/// Exchanges the double does not model are listed with the reason, never silently dropped.</summary>
public sealed class TranscriptReplayTests
{
    private static async Task ReplayAllAsync(ApiServerDouble api, string file, Func<TranscriptExchange, ReplayCheck>? check = null,
        TranscriptReplayer? replayer = null, params string[] notModelled)
    {
        replayer ??= new TranscriptReplayer(api);
        var transcript = TranscriptDirectory.Load(file);
        foreach (var exchange in transcript.Exchanges)
        {
            if (notModelled.Any(label => exchange.Request.Label.Contains(label, StringComparison.Ordinal))) continue;
            await replayer.ReplayAsync(exchange, check?.Invoke(exchange) ?? ReplayCheck.Full);
        }
    }

    [Fact]
    public async Task Pods_01_create_then_duplicate()
    {
        await using var api = await ApiServerDouble.StartAsync();
        await ReplayAllAsync(api, "pods-01-create.txt");
    }

    [Fact]
    public async Task Pods_02_get()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-02-get.txt", 0);
        await ReplayAllAsync(api, "pods-02-get.txt");
    }

    [Fact]
    public async Task Pods_03_list_paging_with_continue_tokens()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.ListItems(api, ResourceCatalog.Pods, "pods-03-list-paging.txt", 0, 1, 2);
        await ReplayAllAsync(api, "pods-03-list-paging.txt");
    }

    [Fact]
    public async Task Pods_04_label_and_field_selectors()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.ListItems(api, ResourceCatalog.Pods, "pods-03-list-paging.txt", 0, 1, 2);
        await ReplayAllAsync(api, "pods-04-list-selectors.txt");
    }

    [Fact]
    public async Task Pods_05_merge_patch()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-01-create.txt", 1);
        await ReplayAllAsync(api, "pods-05-patch-merge.txt");
    }

    [Fact]
    public async Task Pods_06_json_patch()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-05-patch-merge.txt", 0);
        await ReplayAllAsync(api, "pods-06-patch-jsonpatch.txt");
    }

    [Fact]
    public async Task Pods_07_strategic_merge_patch()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-06-patch-jsonpatch.txt", 0);
        // REQUEST 2's real message ends with a Go diff of the pod spec, which the double does not render.
        await ReplayAllAsync(api, "pods-07-patch-strategic.txt",
            e => e.Request.Label.StartsWith("SAME body", StringComparison.Ordinal) ? ReplayCheck.StatusWithoutMessage : ReplayCheck.Full);
    }

    [Fact]
    public async Task Pods_08_server_side_apply()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        await ReplayAllAsync(api, "pods-08-patch-server-side-apply.txt");
    }

    [Fact]
    public async Task Pods_09_put_conflict_and_retry()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-09-put-conflict.txt", 0);
        await ReplayAllAsync(api, "pods-09-put-conflict.txt");
    }

    [Fact]
    public async Task Pods_10_delete_variants()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-10-delete.txt", 0); // web-ssa
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-10-delete.txt", 2); // db-4, bound to node-a
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-10-delete.txt", 7); // web-2 (keeps its recorded uid)
        await ReplayAllAsync(api, "pods-10-delete.txt");
    }

    [Fact]
    public async Task Pods_11_eviction()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        ReplaySeeds.FromResponse(api, ResourceCatalog.Pods, "pods-10-delete.txt", 7); // web-2
        // The double runs no disruption controller: the PDB's effect is declared (pods-11 REQUEST 6/7 set it up).
        api.BlockEvictions("secops", "app=guarded", "guarded-pdb", needsHealthy: 1, hasHealthy: 1);
        // The PDB bodies carry status computed by the disruption controller, which the double does not run.
        await ReplayAllAsync(api, "pods-11-eviction.txt",
            e => e.Request.Path.Contains("poddisruptionbudgets", StringComparison.Ordinal) ? ReplayCheck.StatusCodeOnly : ReplayCheck.Full);
    }

    [Fact]
    public async Task Errors_404_not_found_shapes()
    {
        await using var api = await ApiServerDouble.StartAsync();
        await ReplayAllAsync(api, "errors-404-not-found.txt");
    }

    [Fact]
    public async Task Errors_422_invalid_and_400_bad_request()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        // Not modelled: unknown-field detection (no OpenAPI schema in the double), so neither the Strict 400 nor the
        // Warning header of the default Warn mode; REQUEST 4's 201 body is still compared.
        await ReplayAllAsync(api, "errors-422-invalid.txt", notModelled: "unknown field with fieldValidation=Strict");
    }

    [Fact]
    public async Task Errors_403_forbidden_and_401()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        api.AddUnprivilegedUser("sa-token", "system:serviceaccount:secops:no-rbac");
        var replayer = new TranscriptReplayer(api)
        {
            TokenFor = r => r.Headers["Authorization"] is null ? null
                : r.Label.StartsWith("invalid bearer", StringComparison.Ordinal) ? "not-a-valid-token"
                : r.Label.Contains("SA token", StringComparison.Ordinal) ? "sa-token"
                : api.BearerToken,
        };
        // Not modelled: authentication.k8s.io (its discovery and SelfSubjectReview).
        await ReplayAllAsync(api, "errors-403-forbidden-401.txt", replayer: replayer, notModelled: ["discovery is allowed", "who am I"]);
    }

    [Fact]
    public async Task Crd_02_and_03_custom_resource_status_subresource_in_recorded_order()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        var replayer = new TranscriptReplayer(api);
        var crd02 = TranscriptDirectory.Load("crd-02-custom-resource-status-subresource.txt");
        var crd03 = TranscriptDirectory.Load("crd-03-put-ignores-status.txt");
        // The LIST in crd-02 shows generation 2, i.e. it was recorded after crd-03's PUT: replay in that order.
        foreach (var e in crd02.Exchanges.Take(3)) await replayer.ReplayAsync(e);
        foreach (var e in crd03.Exchanges) await replayer.ReplayAsync(e);
        foreach (var e in crd02.Exchanges.Skip(3)) await replayer.ReplayAsync(e);
        Assert.Null(api.Get(ResourceCatalog.SecurityPolicies, "secops", "audit-only"));
    }

    [Fact]
    public async Task Coord_01_lease_leader_election()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        await ReplayAllAsync(api, "coord-01-lease-leader-election.txt");
    }

    [Fact]
    public async Task Events_01_events_k8s_io_and_core()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        // Not modelled: the two Event APIs are separate stores in the double (no cross-API view, REQUEST 6/7), so the
        // core fieldSelector LIST (REQUEST 8) does not see the events.k8s.io event: only its status code is compared.
        // The 422 for generateName embeds a random generated name in message and details.name.
        await ReplayAllAsync(api, "events-01-events-k8s-io-and-core.txt",
            e => e.Request.Label.Contains("list with involvedObject", StringComparison.Ordinal) ? ReplayCheck.StatusCodeOnly
                : e.Request.Body.Contains("generateName", StringComparison.Ordinal) ? ReplayCheck.StatusWithoutMessage
                : ReplayCheck.Full,
            notModelled: ["read through events.k8s.io/v1", "read through core/v1"]);
    }

    [Fact]
    public async Task Netpol_01_defaults_and_validation()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        await ReplayAllAsync(api, "netpol-01-deny-all.txt");
    }

    [Fact]
    public async Task Watch_06_watchlist_requests_are_422_not_streams()
    {
        await using var api = await ApiServerDouble.StartAsync();
        ReplaySeeds.Namespace(api, "secops");
        await ReplayAllAsync(api, "watch-06-watchlist-sendInitialEvents.txt");
    }

    [Fact]
    public async Task Discovery_01_version_is_the_recorded_document_and_api_lists_v1()
    {
        await using var api = await ApiServerDouble.StartAsync();
        var file = TranscriptDirectory.Load("discovery-01-version-api.txt");
        var replayer = new TranscriptReplayer(api);
        var version = await replayer.ReplayAsync(file.Exchange(0));
        Assert.True(JsonNode.DeepEquals(file.Exchange(0).Response.Json, version.Json));
        var apis = await replayer.ReplayAsync(file.Exchange(1));
        Assert.True(JsonNode.DeepEquals(file.Exchange(1).Response.Json!["versions"], apis.Json!["versions"]));
        Assert.Equal($"127.0.0.1:{api.BaseAddress.Port}", apis.Json["serverAddressByClientCIDRs"]![0]!["serverAddress"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_02_and_04_group_list_and_core_resources()
    {
        await using var api = await ApiServerDouble.StartAsync();
        var replayer = new TranscriptReplayer(api);
        var groups = TranscriptDirectory.Load("discovery-02-apis.txt").Exchange(0);
        var groupList = (await replayer.ReplayAsync(groups)).Json!;
        JsonNode Group(JsonNode list, string name) => list["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == name)!;
        foreach (var name in new[] { "security.io", "coordination.k8s.io", "events.k8s.io", "apps", "networking.k8s.io" })
            Assert.True(JsonNode.DeepEquals(Group(groups.Response.Json!, name), Group(groupList, name)), name);
        Assert.DoesNotContain(groupList["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "wgpolicyk8s.io");

        var core = TranscriptDirectory.Load("discovery-04-api-v1-resources.txt").Exchange(0);
        var resources = (await replayer.ReplayAsync(core)).Json!;
        JsonNode Resource(JsonNode list, string name) => list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;
        foreach (var name in new[] { "pods", "pods/status", "pods/eviction", "namespaces", "configmaps", "events" })
            foreach (var field in new[] { "name", "singularName", "namespaced", "kind", "verbs", "group", "version" })
                Assert.True(JsonNode.DeepEquals(Resource(core.Response.Json!, name)[field], Resource(resources, name)[field]), $"{name}.{field}");
    }

    [Fact]
    public async Task Registering_policy_reports_serves_the_group_the_recorded_cluster_did_not()
    {
        await using var api = await ApiServerDouble.StartAsync();
        using var client = api.CreateHttpClient();
        const string path = "/apis/wgpolicyk8s.io/v1alpha2/namespaces/secops/policyreports";
        Assert.Equal("text/plain; charset=utf-8", (await client.GetAsync(path)).Content.Headers.ContentType!.ToString());
        api.Register(ResourceCatalog.PolicyReports);
        var list = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("PolicyReportList", JsonNode.Parse(await list.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
    }
}
