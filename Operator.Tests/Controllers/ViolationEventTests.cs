using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

public sealed class ViolationEventTests
{
    private const string Ns = "team-b";

    private static IReadOnlyList<StoredObjectView> Events(ApiServerDouble api) => api.List(ResourceCatalog.Events, Ns);

    private static int SeriesCount(StoredObjectView ev) => ev.Object["series"]?["count"]?.GetValue<int>() ?? 1;

    [Fact]
    public async Task A_warn_mode_violation_gets_one_event_whose_series_counts_new_versions_and_neither_a_watch_restart_nor_a_controller_restart_duplicates_it()
    {
        await using var h = await ControllerHarness.CreateAsync(new ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1), Instance = "first" });
        h.Api.Seed(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Namespaced(Ns, "soft", mode: "warn"));
        Workloads.Pod(h.Api, Ns, "noisy", privileged: true);
        await h.StartAsync();

        await Eventually.WaitUntilAsync(() => Events(h.Api).Count == 1, "the first event");
        var ev = Events(h.Api)[0].Object;
        Assert.Equal(("Warning", "PolicyViolation", "Pod", "noisy"),
            (ev["type"]!.GetValue<string>(), ev["reason"]!.GetValue<string>(), ev["regarding"]!["kind"]!.GetValue<string>(), ev["regarding"]!["name"]!.GetValue<string>()));
        Assert.Contains("rule no-privileged", ev["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // Two new versions of the pod that still violate: two more occurrences in the same Event.
        for (var i = 0; i < 2; i++)
        {
            var changed = h.Api.Get(ResourceCatalog.Pods, Ns, "noisy")!.Object.DeepClone().AsObject();
            changed["metadata"]!["labels"]!["rev"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            h.Api.Update(ResourceCatalog.Pods, changed);
            await Eventually.WaitUntilAsync(() => SeriesCount(Events(h.Api)[0]) == i + 2, $"occurrence {i + 2}");
        }
        Assert.Single(Events(h.Api));

        h.Api.ClearRequestLog();
        h.Api.ExpireAllWatches();
        await Eventually.WaitUntilAsync(() => h.Api.Requests.Any(r => r.Method == "GET" && r.Path == "/api/v1/pods" && !r.Query.Contains("watch", StringComparison.Ordinal)),
            "the pod informer to relist");
        await h.Runtime.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.DoesNotContain(h.Writes(), r => r.Path.Contains("/events", StringComparison.Ordinal));

        // A second controller (a restart) adopts the Event instead of creating another or counting again.
        var second = new ControllerRuntime(h.Cluster.Client, new ControllerSettings { ReportInterval = TimeSpan.FromMilliseconds(1), Instance = "second" },
            new MetricsRegistry(), NullLoggerFactory.Instance, PodInformerHarness.FastWatcher());
        using var stop = new CancellationTokenSource();
        var informers = second.RunInformersAsync(stop.Token);
        await second.WaitForSyncAsync(CancellationToken.None).WithinLimit("the second controller's caches");
        await second.ReconcileNamespaceAsync(Ns, CancellationToken.None);
        Assert.Single(Events(h.Api));
        Assert.Equal(3, SeriesCount(Events(h.Api)[0]));
        Assert.DoesNotContain(h.Writes(), r => r.Path.Contains("/events", StringComparison.Ordinal) && r.Method != "POST");
        await stop.CancelAsync();
        await informers.WithinLimit("the second controller's informers to stop");
    }
}
