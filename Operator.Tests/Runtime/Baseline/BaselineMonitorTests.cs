using SecurityOperator.Kube.Models;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Baseline;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Baseline;

public sealed class BaselineMonitorTests
{
    internal static readonly ContainerRef ContainerA = new("0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b", new string('a', 64), "containerd", "burstable");
    internal static readonly ContainerRef ContainerB = new("1c9b6a5f-0d3e-4f7a-9b2c-4d6e8f0a2b3c", new string('b', 64), "containerd", "burstable");
    internal static readonly PodContainer PodA = new("shop", "web-7d4b9c-abcde", ContainerA.PodUid, "nginx", "nginx:1.27");
    internal static readonly PodContainer PodB = new("shop", "web-7d4b9c-fghij", ContainerB.PodUid, "nginx", "nginx:1.27");
    internal static readonly WorkloadRef Web = new("shop", "Deployment", "web");

    private static readonly TimeSpan Learning = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan After = TimeSpan.FromMinutes(11);
    private readonly List<RuntimeAlert> _alerts = [];

    internal static WorkloadDirectory Directory()
    {
        var directory = new WorkloadDirectory();
        foreach (var (pod, uid) in new[] { (PodA, ContainerA.PodUid), (PodB, ContainerB.PodUid) })
            directory.OnAdd(new Pod
            {
                Metadata = new ObjectMeta
                {
                    Name = pod.PodName, Namespace = "shop", Uid = uid,
                    Labels = new() { ["pod-template-hash"] = "7d4b9c" },
                    OwnerReferences = [new OwnerReference { Kind = "ReplicaSet", Name = "web-7d4b9c", Controller = true }],
                },
            });
        return directory;
    }

    private BaselineMonitor Monitor(BaselineOptions? options = null, bool persistent = false) =>
        new(options ?? new BaselineOptions { Learning = Learning }, Directory(), _alerts.Add, new BootClock(0), persistent);

    private static void Learn(BaselineMonitor monitor)
    {
        monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.Zero), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Open("/etc/nginx/nginx.conf", TimeSpan.FromSeconds(1)), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Connect("10.0.3.7", 5432, TimeSpan.FromSeconds(2)), ContainerB, PodB);
    }

    [Fact]
    public void Nothing_is_reported_while_learning_and_known_behaviour_is_quiet_afterwards()
    {
        var monitor = Monitor();
        Learn(monitor);
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", TimeSpan.FromMinutes(9)), ContainerA, PodA);
        Assert.Empty(_alerts);

        // Replicas share the workload: what replica A learned is known for replica B and the other way round.
        monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", After), ContainerB, PodB);
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After), ContainerB, PodB);
        monitor.Observe(SyntheticEvents.Open("/etc/nginx/mime.types", After), ContainerB, PodB);
        monitor.Observe(SyntheticEvents.Connect("10.0.3.200", 5432, After), ContainerA, PodA);
        Assert.Empty(_alerts);
        var baseline = Assert.Single(monitor.Baselines);
        Assert.Equal(Web, baseline.Workload);
    }

    [Fact]
    public void A_new_executable_after_the_window_is_an_anomaly_naming_pod_container_process_and_entry()
    {
        var monitor = Monitor();
        Learn(monitor);

        monitor.Observe(SyntheticEvents.Exec("/tmp/xmrig", After, pid: 4242), ContainerB, PodB);

        var alert = Assert.Single(_alerts);
        Assert.Equal("baseline-new-executable", alert.Rule.Id);
        Assert.Equal(AlertPriority.Warning, alert.Rule.Priority);
        Assert.Contains("pod shop/web-7d4b9c-fghij container nginx process xmrig (pid 4242", alert.Message);
        Assert.Contains("executable /tmp/xmrig", alert.Message);
        var fields = alert.Fields.ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal("70", fields["baseline.score"]);
        Assert.Equal("deployment/shop/web", fields["baseline.workload"]);
        Assert.Equal("1970-01-01T00:10:00Z", fields["baseline.learned_until"]);
    }

    [Fact]
    public void Files_and_destinations_score_by_what_is_new_and_bursts_raise_the_score()
    {
        var monitor = Monitor();
        Learn(monitor);

        monitor.Observe(SyntheticEvents.Open("/var/lib/data/x.db", After), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Connect("10.0.3.7", 6379, After + TimeSpan.FromMinutes(2)), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Connect("203.0.113.9", 443, After + TimeSpan.FromMinutes(4)), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Open("/usr/bin/evil", After + TimeSpan.FromMinutes(4), flags: 0x241), ContainerA, PodA);

        Assert.Collection(_alerts,
            a => (a.Rule.Id, Score(a), a.Rule.Priority, a.Argument).ShouldBe(("baseline-new-path", 30, AlertPriority.Informational, "/var/lib/data/x.db")),
            a => (a.Rule.Id, Score(a), a.Rule.Priority, a.Argument).ShouldBe(("baseline-new-destination", 40, AlertPriority.Notice, "10.0.3.7:6379")),
            a => (a.Rule.Id, Score(a), a.Rule.Priority, a.Argument).ShouldBe(("baseline-new-destination", 60, AlertPriority.Warning, "203.0.113.9:443")),
            // written, and one other deviation of the container within the minute: 50 + 10
            a => (a.Rule.Id, Score(a), a.Rule.Priority, a.Argument).ShouldBe(("baseline-new-path", 60, AlertPriority.Warning, "/usr/bin/evil")));
    }

    [Fact]
    public void The_same_deviation_is_reported_once_per_repeat_interval()
    {
        var monitor = Monitor(new BaselineOptions { Learning = Learning, AlertRepeat = TimeSpan.FromHours(1) });
        Learn(monitor);

        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After + TimeSpan.FromMinutes(30)), ContainerB, PodB);
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After + TimeSpan.FromMinutes(61)), ContainerA, PodA);

        Assert.Equal(2, _alerts.Count);
        Assert.All(_alerts, a => Assert.Equal("/bin/sh", a.Argument));
    }

    [Fact]
    public void Learning_stops_at_the_size_bound_and_the_baseline_says_truncated()
    {
        var options = new BaselineOptions { Learning = Learning, MaxBytes = 10 * WorkloadBaseline.Size("/usr/bin/tool-00") };
        var monitor = Monitor(options);
        for (var i = 0; i < 25; i++)
            monitor.Observe(SyntheticEvents.Exec($"/usr/bin/tool-{i:00}", TimeSpan.FromSeconds(i)), ContainerA, PodA);

        var baseline = Assert.Single(monitor.Baselines);
        var document = baseline.Snapshot(out _);
        Assert.True(document.Truncated);
        Assert.Equal(10, document.Containers["nginx"].Executables.Count);
        Assert.True(baseline.Bytes <= options.MaxBytes);

        monitor.Observe(SyntheticEvents.Exec("/usr/bin/tool-20", After), ContainerA, PodA);
        monitor.Observe(SyntheticEvents.Exec("/usr/bin/tool-05", After), ContainerA, PodA);
        Assert.Equal("/usr/bin/tool-20", Assert.Single(_alerts).Argument);
    }

    [Fact]
    public void Events_of_pods_not_listed_yet_and_of_unloaded_baselines_are_neither_learned_nor_judged()
    {
        var monitor = Monitor(persistent: true);
        var unlisted = new ContainerRef("99999999-0000-0000-0000-000000000000", new string('c', 64), "containerd", "besteffort");
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After), unlisted, new PodContainer("shop", "new", unlisted.PodUid, "c", null));
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", TimeSpan.Zero), ContainerA, PodA);

        var baseline = Assert.Single(monitor.Baselines);
        Assert.False(baseline.Loaded);
        Assert.Null(baseline.LearningStarted);
        Assert.True(monitor.TryTakeLoad(out var toLoad));
        Assert.Same(baseline, toLoad);
        Assert.Empty(_alerts);
    }

    [Fact]
    public void Standalone_each_pod_is_its_own_workload_keyed_by_container_id()
    {
        var monitor = new BaselineMonitor(new BaselineOptions { Learning = Learning }, null, _alerts.Add, new BootClock(0), persistent: false);
        monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", TimeSpan.Zero), ContainerA, null);
        monitor.Observe(SyntheticEvents.Exec("/usr/sbin/nginx", After), ContainerB, null);
        monitor.Observe(SyntheticEvents.Exec("/bin/sh", After), ContainerA, null);

        Assert.Equal(2, monitor.Baselines.Count);
        var alert = Assert.Single(_alerts);
        Assert.Equal("/bin/sh", alert.Argument);
        Assert.Contains($"pod uid {ContainerA.PodUid}", alert.Message);
    }

    private static int Score(RuntimeAlert alert) => int.Parse(alert.Fields.Single(f => f.Key == "baseline.score").Value);
}

internal static class TupleAssert
{
    public static void ShouldBe<T>(this T actual, T expected) => Assert.Equal(expected, actual);
}
