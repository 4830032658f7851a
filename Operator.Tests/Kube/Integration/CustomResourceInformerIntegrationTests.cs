using System.Collections.Concurrent;
using System.Text;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>An informer over the operator's own custom resource (SecurityPolicy), which the server serves as
/// unstructured JSON: alphabetical keys, metadata.continue "" on the last page (crd-02), skeleton bookmarks (watch-07).</summary>
public sealed class CustomResourceInformerIntegrationTests
{
    [Fact]
    public async Task SecurityPolicy_informer_pages_then_sees_status_writes_as_updates_without_a_generation_change_and_deletes()
    {
        await using var cluster = await DoubleCluster.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var api = cluster.Api;
        foreach (var name in new[] { "p-0", "p-1", "p-2" })
            api.Seed(ResourceCatalog.SecurityPolicies, ClientCrudIntegrationTests.SecurityPolicyJson("secops", name));
        var calls = new ConcurrentQueue<string>();
        var metrics = new MetricsRegistry();
        var informer = new SharedInformer<CustomObject>(
            new KubeListerWatcher<CustomObject>(cluster.Client, KubeResource.SecurityPolicies, "secops",
                IntegrationJsonContext.Default.CustomObject, IntegrationJsonContext.Default.KubeListCustomObject),
            new SharedInformerOptions { Watcher = PodInformerHarness.FastWatcher(pageSize: 2) with { ResourceName = "securitypolicies" }, Metrics = metrics });
        informer.AddEventHandler(new ResourceEventHandler<CustomObject>(
            onAdd: o => calls.Enqueue($"add {o.Metadata.Name} gen={o.Metadata.Generation}"),
            onUpdate: (_, o) => calls.Enqueue($"update {o.Metadata.Name} gen={o.Metadata.Generation}"),
            onDelete: o => calls.Enqueue($"delete {o.Metadata.Name}")));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WithinLimit("informer HasSynced");
        Assert.Equal(2, cluster.ListRequests("/apis/security.io/v1/namespaces/secops/securitypolicies").Count); // 2 + 1, last continue ""

        // watch-07: a /status write is MODIFIED with the generation unchanged; a DELETE is DELETED.
        await cluster.Client.PatchStatusAsync(KubeResource.SecurityPolicies, "secops", "p-1", PatchType.Merge,
            Encoding.UTF8.GetBytes("""{"status":{"violations":2}}"""), IntegrationJsonContext.Default.CustomObject);
        await cluster.Client.DeleteAsync(KubeResource.SecurityPolicies, "secops", "p-2", IntegrationJsonContext.Default.CustomObject);
        await Eventually.WaitUntilAsync(() => calls.Contains("delete p-2"), "the DELETED of p-2");
        // Bookmarks of custom resources are apiVersion/kind/metadata only; they must decode and change nothing.
        var bookmarks = metrics.CreateCounter("security_operator_watch_events_total", "", "resource", "type").WithLabels("securitypolicies", "BOOKMARK");
        await Eventually.WaitUntilAsync(() => bookmarks.Value >= 1, "a BOOKMARK of the custom resource watch");

        Assert.Equal(["add p-0 gen=1", "add p-1 gen=1", "add p-2 gen=1", "update p-1 gen=1", "delete p-2"], calls);
        Assert.Equal(2, informer.Get("secops", "p-1")!.Extra!["status"].GetProperty("violations").GetInt32());
        stop.Cancel();
        await run.WithinLimit("the informer to stop");
    }
}
