using System.Collections.Concurrent;
using System.Text;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;

namespace SecurityOperator.Tests.Policy.Cluster;

public sealed class ClusterPolicyStoreTests
{
    private static async Task<(ClusterPolicyStore Store, CancellationTokenSource Stop, Task Run)> StartAsync(DoubleCluster cluster)
    {
        var metrics = new MetricsRegistry();
        var watcher = PodInformerHarness.FastWatcher();
        var namespaced = PolicyInformers.Namespaced(cluster.Client, metrics, watcher);
        var clusterScoped = PolicyInformers.Cluster(cluster.Client, metrics, watcher);
        var store = new ClusterPolicyStore(namespaced, clusterScoped);
        var stop = new CancellationTokenSource();
        var run = Task.WhenAll(namespaced.RunAsync(stop.Token), clusterScoped.RunAsync(stop.Token));
        await store.WaitForSyncAsync(CancellationToken.None).WithinLimit("policy store sync");
        return (store, stop, run);
    }

    [Fact]
    public async Task Valid_then_invalid_keeps_the_last_valid_form_with_the_errors_then_a_fix_replaces_it_and_a_delete_removes_it()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        var policy = PolicyObjects.Namespaced("team-a", "baseline");
        cluster.Api.Seed(ShippedPolicyCluster.SecurityPolicies, policy);
        var (store, stop, run) = await StartAsync(cluster);
        var changes = new ConcurrentQueue<PolicySnapshotChange>();
        using var subscription = store.Subscribe(changes.Enqueue);
        var key = PolicyKey.Namespaced("team-a", "baseline");

        Assert.True(store.HasSynced);
        var first = store.Snapshot.Get(key)!;
        Assert.True(first.IsValid, string.Join("; ", first.Errors));
        Assert.Equal(1, first.Generation);
        Assert.Single(first.Compiled!.Rules);
        Assert.Single(store.Snapshot.Catalog.Select("team-a", null).Policies);

        cluster.Api.Update(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.Broken(policy));
        await Eventually.WaitUntilAsync(() => store.Snapshot.Get(key)!.Generation == 2, "generation 2 in the store");
        var broken = store.Snapshot.Get(key)!;
        Assert.False(broken.IsValid);
        Assert.True(broken.IsStale);
        Assert.Contains(broken.Errors, e => e.Contains("noSuchCondition", StringComparison.Ordinal));
        Assert.Same(first.Compiled, broken.Compiled);
        Assert.Equal(1, broken.CompiledGeneration);
        Assert.Single(store.Snapshot.Catalog.Select("team-a", null).Policies);

        cluster.Api.Update(ShippedPolicyCluster.SecurityPolicies, PolicyObjects.WithSecondRule(policy));
        await Eventually.WaitUntilAsync(() => store.Snapshot.Get(key)!.Generation == 3, "generation 3 in the store");
        var fixedEntry = store.Snapshot.Get(key)!;
        Assert.True(fixedEntry.IsValid);
        Assert.Equal(2, fixedEntry.Compiled!.Rules.Count);
        Assert.Equal(3, fixedEntry.CompiledGeneration);

        cluster.Api.Delete(ShippedPolicyCluster.SecurityPolicies, "team-a", "baseline");
        await Eventually.WaitUntilAsync(() => store.Snapshot.Get(key) is null, "the deleted policy gone from the store");
        Assert.Empty(store.Snapshot.Catalog.Select("team-a", null).Policies);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal([key], c.Changed));
        Assert.Equal(changes.Select(c => c.Previous.Version + 1), changes.Select(c => c.Current.Version));
        stop.Cancel();
        await run.WithinLimit("informers to stop");
    }

    [Fact]
    public async Task A_status_write_does_not_recompile_or_publish_and_a_policy_invalid_from_the_start_is_not_in_force()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        cluster.Api.Seed(ShippedPolicyCluster.ClusterSecurityPolicies, PolicyObjects.Cluster("everywhere"));
        cluster.Api.Seed(ShippedPolicyCluster.ClusterSecurityPolicies, PolicyObjects.Broken(PolicyObjects.Cluster("never-valid")));
        var (store, stop, run) = await StartAsync(cluster);
        var before = store.Snapshot;
        var invalid = before.Get(PolicyKey.Cluster("never-valid"))!;
        Assert.Null(invalid.Compiled);
        Assert.False(invalid.IsStale);
        Assert.NotEmpty(invalid.Errors);
        Assert.True(before.Get(PolicyKey.Cluster("everywhere"))!.IsValid, string.Join("; ", before.Get(PolicyKey.Cluster("everywhere"))!.Errors));
        Assert.Equal(["everywhere"], before.Catalog.Select("any", null).Policies.Select(p => p.Name));

        await cluster.Client.PatchStatusAsync(KubeResource.ClusterSecurityPolicies, null, "everywhere", PatchType.Merge,
            Encoding.UTF8.GetBytes("""{"status":{"ruleCount":1}}"""), PolicyJsonContext.Default.ClusterSecurityPolicy);
        // A later spec change proves the status write was seen (the informer delivers in order) and published nothing.
        cluster.Api.Update(ShippedPolicyCluster.ClusterSecurityPolicies, PolicyObjects.WithSecondRule(PolicyObjects.Cluster("everywhere")));
        await Eventually.WaitUntilAsync(() => store.Snapshot.Get(PolicyKey.Cluster("everywhere"))!.Generation == 2, "generation 2");
        Assert.Equal(before.Version + 1, store.Snapshot.Version);
        stop.Cancel();
        await run.WithinLimit("informers to stop");
    }
}
