using System.Text.Json;
using SecurityOperator.Runtime;
using SecurityOperator.Runtime.Baseline;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Runtime.Baseline;

/// <summary>The baseline store against the API server double: two node agents (two monitors, two syncs, one
/// ConfigMap), agent restarts, conflicts.</summary>
public sealed class ConfigMapBaselineStoreTests
{
    private static readonly TimeSpan After = TimeSpan.FromMinutes(11);
    private const string ConfigMapPath = "/api/v1/namespaces/shop/configmaps/security-operator-baseline-deployment-web";

    private sealed class Agent
    {
        public readonly List<RuntimeAlert> Alerts = [];
        public readonly BaselineMonitor Monitor;
        public readonly BaselineSync Sync;
        public readonly ConfigMapBaselineStore Store;

        public Agent(DoubleCluster cluster, BaselineOptions? options = null)
        {
            options ??= new BaselineOptions { Learning = TimeSpan.FromMinutes(10) };
            Monitor = new BaselineMonitor(options, BaselineMonitorTests.Directory(), Alerts.Add, new BootClock(0), persistent: true);
            Store = new ConfigMapBaselineStore(cluster.Client, options);
            Sync = new BaselineSync(Monitor, Store);
        }

        /// <summary>The first event of the workload makes the monitor ask for its stored baseline; events count once it is read.</summary>
        public async Task SeeWorkload()
        {
            Monitor.Observe(SyntheticEvents.Exec("/pause", TimeSpan.Zero), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
            await Sync.LoadNewAsync(CancellationToken.None);
        }
    }

    private static async Task<DoubleCluster> Cluster()
    {
        var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("shop");
        return cluster;
    }

    private static JsonElement Stored(DoubleCluster cluster)
    {
        var map = cluster.Api.Get(ResourceCatalog.ConfigMaps, "shop", "security-operator-baseline-deployment-web");
        Assert.NotNull(map);
        var json = JsonDocument.Parse(map.Object.ToJsonString()).RootElement;
        return JsonDocument.Parse(json.GetProperty("data").GetProperty("baseline.json").GetString()!).RootElement;
    }

    private static List<string> Entries(JsonElement document, string container, string kind) =>
        document.GetProperty("containers").GetProperty(container).GetProperty(kind).EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public async Task A_learned_baseline_is_stored_labelled_and_survives_an_agent_restart()
    {
        await using var cluster = await Cluster();
        var first = new Agent(cluster);
        await first.SeeWorkload();
        first.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.FromSeconds(1)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
        first.Monitor.Observe(SyntheticEvents.Connect("10.0.3.7", 5432, TimeSpan.FromSeconds(2)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
        await first.Sync.SaveDirtyAsync(CancellationToken.None);

        var map = JsonDocument.Parse(cluster.Api.Get(ResourceCatalog.ConfigMaps, "shop", "security-operator-baseline-deployment-web")!.Object.ToJsonString()).RootElement;
        Assert.Equal("security-operator", map.GetProperty("metadata").GetProperty("labels").GetProperty("app.kubernetes.io/managed-by").GetString());
        var stored = Stored(cluster);
        Assert.Equal(["/usr/sbin/nginx"], Entries(stored, "nginx", "executables")); // /pause came before the (empty) baseline was read
        Assert.Equal(["10.0.3.0/24:5432"], Entries(stored, "nginx", "destinations"));
        Assert.Equal("1970-01-01T00:10:01+00:00", stored.GetProperty("learningEnds").GetString()); // first learned event + 10 min

        // A restarted agent reads the baseline: the window is over, learned entries are quiet, new ones are anomalies.
        var restarted = new Agent(cluster);
        restarted.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", After), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        await restarted.Sync.LoadNewAsync(CancellationToken.None);
        restarted.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", After), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        restarted.Monitor.Observe(SyntheticEvents.Connect("10.0.3.9", 5432, After), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        restarted.Monitor.Observe(SyntheticEvents.Exec("/bin/sh", After), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        Assert.Equal("/bin/sh", Assert.Single(restarted.Alerts).Argument);

        // Every request is one NodeApiAccess declares (and so one the node's RBAC grants).
        var undeclared = cluster.Api.Requests.Select(r => (r, ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)))
            .Where(x => x.Item2 is { } access && !NodeApiAccess.Calls.Contains(access)).Select(x => $"{x.r.Method} {x.r.Path}").ToList();
        Assert.Empty(undeclared);
        Assert.Contains(cluster.Api.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Two_agents_learning_one_workload_end_with_the_union_and_the_earliest_window()
    {
        await using var cluster = await Cluster();
        var a = new Agent(cluster);
        var b = new Agent(cluster);
        await a.SeeWorkload();
        await b.SeeWorkload();
        a.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.FromSeconds(1)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
        b.Monitor.Observe(SyntheticEvents.Exec("/usr/bin/curl", TimeSpan.FromMinutes(3)), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);

        await b.Sync.SaveDirtyAsync(CancellationToken.None);
        await a.Sync.SaveDirtyAsync(CancellationToken.None);
        await b.Sync.SaveDirtyAsync(CancellationToken.None); // nothing new on b: reads, adopts, writes nothing

        var stored = Stored(cluster);
        Assert.Equal(["/usr/bin/curl", "/usr/sbin/nginx"], Entries(stored, "nginx", "executables"));
        Assert.Equal("1970-01-01T00:00:01+00:00", stored.GetProperty("learningStarted").GetString());
        Assert.Equal(2, cluster.Api.Requests.Count(r => r.Method is "POST" or "PUT"));

        // b took in what a learned: a's entry is not an anomaly on b.
        b.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", After), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        Assert.Empty(b.Alerts);
    }

    [Fact]
    public async Task A_conflict_on_write_is_read_merged_and_written_again()
    {
        await using var cluster = await Cluster();
        var a = new Agent(cluster);
        var b = new Agent(cluster);
        await a.SeeWorkload();
        await b.SeeWorkload();
        a.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.FromMinutes(1)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
        await a.Sync.SaveDirtyAsync(CancellationToken.None); // creates the ConfigMap
        b.Monitor.Observe(SyntheticEvents.Exec("/usr/bin/curl", TimeSpan.FromMinutes(1)), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        a.Monitor.Observe(SyntheticEvents.Exec("/usr/bin/env", TimeSpan.FromMinutes(2)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);

        // Another node writes between b's read and b's write: the apiserver answers 409 on b's PUT.
        cluster.Api.FailNext("PUT", ConfigMapPath, 409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
        await b.Sync.SaveDirtyAsync(CancellationToken.None);
        await a.Sync.SaveDirtyAsync(CancellationToken.None);

        Assert.Equal(1, b.Store.Conflicts);
        Assert.Equal(["/usr/bin/curl", "/usr/bin/env", "/usr/sbin/nginx"], Entries(Stored(cluster), "nginx", "executables"));
        lock (b.Monitor.Find(BaselineMonitorTests.Web)!.Gate) Assert.False(b.Monitor.Find(BaselineMonitorTests.Web)!.Dirty);
    }

    [Fact]
    public async Task A_create_that_loses_the_race_to_another_node_is_retried()
    {
        await using var cluster = await Cluster();
        var a = new Agent(cluster);
        var b = new Agent(cluster);
        await a.SeeWorkload();
        await b.SeeWorkload();
        // Both start from "no ConfigMap": a creates it; b's create then gets 409 AlreadyExists and b merges into it.
        cluster.Api.FailNext("POST", "/api/v1/namespaces/shop/configmaps", 409, "AlreadyExists", "configmaps already exists");
        b.Monitor.Observe(SyntheticEvents.Exec("/usr/bin/curl", TimeSpan.FromMinutes(1)), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        await b.Sync.SaveDirtyAsync(CancellationToken.None);
        Assert.Equal(1, b.Store.Conflicts);
        Assert.Equal(["/usr/bin/curl"], Entries(Stored(cluster), "nginx", "executables"));
    }

    [Fact]
    public async Task Stored_entries_beyond_the_size_bound_are_not_taken_in_and_the_stored_document_stays_bounded()
    {
        await using var cluster = await Cluster();
        var small = new BaselineOptions { Learning = TimeSpan.FromMinutes(10), MaxBytes = 5 * WorkloadBaseline.Size("/usr/bin/tool-00") };
        var a = new Agent(cluster, small);
        var b = new Agent(cluster, small);
        await a.SeeWorkload();
        await b.SeeWorkload();
        for (var i = 0; i < 4; i++)
        {
            a.Monitor.Observe(SyntheticEvents.Exec($"/usr/bin/tool-{i:00}", TimeSpan.FromSeconds(1)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
            b.Monitor.Observe(SyntheticEvents.Exec($"/usr/bin/tool-{i + 10:00}", TimeSpan.FromSeconds(1)), BaselineMonitorTests.ContainerB, BaselineMonitorTests.PodB);
        }
        await a.Sync.SaveDirtyAsync(CancellationToken.None);
        await b.Sync.SaveDirtyAsync(CancellationToken.None);

        var stored = Stored(cluster);
        Assert.True(stored.GetProperty("truncated").GetBoolean());
        Assert.True(Entries(stored, "nginx", "executables").Sum(WorkloadBaseline.Size) <= small.MaxBytes);
    }

    [Fact]
    public async Task An_unreadable_stored_document_is_relearned_not_a_crash()
    {
        await using var cluster = await Cluster();
        cluster.Api.Seed("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"security-operator-baseline-deployment-web","namespace":"shop"},"data":{"baseline.json":"{not json"}}""");
        var a = new Agent(cluster);
        await a.SeeWorkload();
        a.Monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.FromSeconds(1)), BaselineMonitorTests.ContainerA, BaselineMonitorTests.PodA);
        await a.Sync.SaveDirtyAsync(CancellationToken.None);
        Assert.Equal(["/usr/sbin/nginx"], Entries(Stored(cluster), "nginx", "executables"));
    }
}
