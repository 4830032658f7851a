using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Queue;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>The controller pattern against the double: informer handlers enqueue keys, WorkQueueWorkers reconcile each
/// key from the informer cache and write back through KubeClient; the writes come back as watch events, and the loop
/// settles once the cluster matches the desired state.</summary>
public sealed class ControllerPatternIntegrationTests
{
    private const string MirrorAnnotation = "security.io/app";

    private static WorkQueue<string> NewQueue() => new(new WorkQueueOptions<string> { Name = "pods-controller", Metrics = new MetricsRegistry() });

    private static IDisposable EnqueueEveryChange(SharedInformer<Pod> informer, WorkQueue<string> queue, Action<string, string>? observed = null) =>
        informer.AddEventHandler(new ResourceEventHandler<Pod>(
            onAdd: p => { queue.Add(ObjectKey.Of(p)); observed?.Invoke("add", ObjectKey.Of(p)); },
            onUpdate: (_, p) => { queue.Add(ObjectKey.Of(p)); observed?.Invoke("update", ObjectKey.Of(p)); },
            onDelete: p => { queue.Add(ObjectKey.Of(p)); observed?.Invoke("delete", ObjectKey.Of(p)); }));

    private static JsonObject PodWithApp(string name, string app)
    {
        var pod = TestPods.Json("secops", name);
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = app };
        return pod;
    }

    private static bool Mirrored(StoredObjectView pod) =>
        pod.Object["metadata"]?["annotations"]?[MirrorAnnotation]?.GetValue<string>() == pod.Object["metadata"]!["labels"]!["app"]!.GetValue<string>();

    [Fact]
    public async Task Workers_reconcile_from_the_cache_and_write_back_until_the_cluster_converges()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        for (var i = 0; i < 20; i++) api.Seed(ResourceCatalog.Pods, PodWithApp($"web-{i:D2}", "v1"));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        var queue = NewQueue();
        using var registration = EnqueueEveryChange(informer.Informer, queue);
        var gone = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<Exception>();

        // The reconciler: make annotation security.io/app equal label app. It reads the cache, never the event.
        async Task ReconcileAsync(string key, CancellationToken ct)
        {
            var pod = informer.Informer.Get(key);
            if (pod is null)
            {
                gone.Add(key);
                return;
            }
            var app = pod.Metadata.Labels?.GetValueOrDefault("app");
            if (app is null || pod.Metadata.Annotations?.GetValueOrDefault(MirrorAnnotation) == app) return;
            var (ns, name) = ObjectKey.Split(key);
            try
            {
                await cluster.Client.PatchAsync(KubeResource.Pods, ns, name, PatchType.Merge,
                    Encoding.UTF8.GetBytes(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [MirrorAnnotation] = app } } }.ToJsonString()), KubeJsonContext.Default.Pod,
                    cancellationToken: ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(e);
                throw;
            }
        }

        using var stop = new CancellationTokenSource();
        var workers = WorkQueueWorkers.RunAsync(queue, 3, ReconcileAsync, stop.Token);
        await Eventually.WaitUntilAsync(() => api.List(ResourceCatalog.Pods, "secops").Count(Mirrored) == 20, "20 pods mirrored");

        // The world changes: five labels move to v2, two pods go away.
        for (var i = 0; i < 5; i++)
        {
            var pod = api.Get(ResourceCatalog.Pods, "secops", $"web-{i:D2}")!.Object;
            pod["metadata"]!["labels"]!["app"] = "v2";
            api.Update(ResourceCatalog.Pods, pod);
        }
        api.Delete(ResourceCatalog.Pods, "secops", "web-18");
        api.Delete(ResourceCatalog.Pods, "secops", "web-19");
        await Eventually.WaitUntilAsync(() =>
        {
            var pods = api.List(ResourceCatalog.Pods, "secops");
            return pods.Count == 18 && pods.All(Mirrored) && pods.Count(p => Mirrored(p) && p.Object["metadata"]!["annotations"]![MirrorAnnotation]!.GetValue<string>() == "v2") == 5;
        }, "the changed pods re-mirrored");
        await Eventually.WaitUntilAsync(() => gone.Contains("secops/web-18") && gone.Contains("secops/web-19"), "deleted keys reconciled as gone");
        // The controller's own writes come back through the watch: the cache converges to the server's state too.
        await Eventually.WaitUntilAsync(() => informer.Informer.List().Count(p => p.Metadata.Annotations?.GetValueOrDefault(MirrorAnnotation) == p.Metadata.Labels!["app"]) == 18,
            "the informer cache to show all 18 pods mirrored");

        await informer.StopAsync();
        await queue.ShutDownWithDrainAsync().WithinLimit("the queue to drain");
        await workers.WithinLimit("the workers to return");
        Assert.Empty(failures);
        Assert.Equal(18, informer.Informer.List().Count);
    }

    [Fact]
    public async Task A_flapping_object_is_never_reconciled_by_two_workers_at_once_and_its_last_state_is_reconciled()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.Pods, PodWithApp("flappy", "a"));
        for (var i = 0; i < 5; i++) api.Seed(ResourceCatalog.Pods, PodWithApp($"steady-{i}", "a"));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        var queue = NewQueue();
        using var registration = EnqueueEveryChange(informer.Informer, queue);
        var running = new ConcurrentDictionary<string, int>();
        var maxRunning = new ConcurrentDictionary<string, int>();
        var lastReconciledRv = new ConcurrentDictionary<string, string>();
        var reconciles = 0;

        async Task ReconcileAsync(string key, CancellationToken ct)
        {
            var now = running.AddOrUpdate(key, 1, (_, n) => n + 1);
            maxRunning.AddOrUpdate(key, now, (_, max) => Math.Max(max, now));
            try
            {
                Interlocked.Increment(ref reconciles);
                var rv = informer.Informer.Get(key)?.Metadata.ResourceVersion ?? "gone";
                await Task.Delay(1, ct); // the reconcile's own I/O; gives other workers the chance to overlap
                lastReconciledRv[key] = rv;
            }
            finally { running.AddOrUpdate(key, 0, (_, n) => n - 1); }
        }

        using var stop = new CancellationTokenSource();
        var workers = WorkQueueWorkers.RunAsync(queue, 4, ReconcileAsync, stop.Token);
        await informer.WaitForSyncAsync();

        // 200 label flips as fast as the server takes them, while four workers run.
        StoredObjectView last = null!;
        for (var i = 0; i < 200; i++)
        {
            var pod = api.Get(ResourceCatalog.Pods, "secops", "flappy")!.Object;
            pod["metadata"]!["labels"]!["app"] = i % 2 == 0 ? "b" : "a";
            last = api.Update(ResourceCatalog.Pods, pod);
        }
        await Eventually.WaitUntilAsync(() => lastReconciledRv.GetValueOrDefault("secops/flappy") == last.ResourceVersion.ToString(),
            "the final state of flappy reconciled");

        await informer.StopAsync();
        await queue.ShutDownWithDrainAsync().WithinLimit("the queue to drain");
        await workers.WithinLimit("the workers to return");
        Assert.All(maxRunning, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(6, lastReconciledRv.Count);
        Assert.InRange(reconciles, 6, 6 + 200);
    }

    [Fact]
    public async Task Shutdown_stops_the_informer_lets_the_in_flight_reconcile_finish_and_still_runs_what_was_queued()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.Pods, PodWithApp("slow", "v1"));
        await using var informer = PodInformerHarness.Start(cluster.Client, "secops");
        var queue = NewQueue();
        var updateQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = EnqueueEveryChange(informer.Informer, queue, (what, key) =>
        {
            if (what == "update" && key == "secops/slow") updateQueued.TrySetResult();
        });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentQueue<string>();

        async Task ReconcileAsync(string key, CancellationToken ct)
        {
            var rv = informer.Informer.Get(key)?.Metadata.ResourceVersion ?? "gone";
            if (seen.IsEmpty)
            {
                entered.TrySetResult();
                await release.Task; // in flight when shutdown begins
            }
            seen.Enqueue(rv);
        }

        var workers = WorkQueueWorkers.RunAsync(queue, 2, ReconcileAsync, CancellationToken.None);
        await entered.Task.WithinLimit("the first reconcile to start");
        var pod = api.Get(ResourceCatalog.Pods, "secops", "slow")!.Object;
        pod["metadata"]!["labels"]!["app"] = "v2";
        var updated = api.Update(ResourceCatalog.Pods, pod);
        await updateQueued.Task.WithinLimit("the update to be queued while the key is processing");

        // A controller stops in this order: informer first (no new keys), then drain the queue.
        await informer.StopAsync();
        var drained = queue.ShutDownWithDrainAsync();
        queue.Add("secops/after-shutdown"); // refused
        Assert.False(drained.IsCompleted); // the in-flight reconcile holds it
        Assert.True(queue.IsShuttingDown);

        release.SetResult();
        await drained.WithinLimit("the queue to drain");
        await workers.WithinLimit("the workers to return");
        // The first run finished; the key dirtied during it ran once more and saw the newest cached state; nothing else ran.
        Assert.Equal(2, seen.Count);
        Assert.Equal(updated.ResourceVersion.ToString(), seen.Last());
        Assert.True(informer.Running.IsCompletedSuccessfully);
    }
}
