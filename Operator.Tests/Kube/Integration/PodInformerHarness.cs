using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>A running SharedInformer&lt;Pod&gt; over KubeListerWatcher over the cluster's client, with a recording
/// handler, its own metrics registry, and a gate in front of WATCH requests. Disposing stops it and checks it stopped.</summary>
internal sealed class PodInformerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _stopped;

    /// <summary>Backoff of a few milliseconds: the tests check which transitions happen, never how long they take.</summary>
    public static WatcherOptions FastWatcher(int pageSize = KubeClient.DefaultPageSize) => new()
    {
        PageSize = pageSize,
        Backoff = new BackoffPolicy(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), 2.0, 0.5, TimeSpan.FromMinutes(2)),
        ResourceName = "pods",
    };

    private PodInformerHarness(SharedInformer<Pod> informer, GatedListerWatcher<Pod> gate, MetricsRegistry metrics, PodEventLog log)
    {
        Informer = informer;
        Gate = gate;
        Metrics = metrics;
        Log = log;
        _run = informer.RunAsync(_stop.Token);
    }

    public SharedInformer<Pod> Informer { get; }
    public GatedListerWatcher<Pod> Gate { get; }
    public MetricsRegistry Metrics { get; }
    public PodEventLog Log { get; }

    /// <param name="namespace">null: all namespaces.</param>
    public static PodInformerHarness Start(KubeClient client, string? @namespace, WatcherOptions? watcher = null, PodEventLog? log = null)
    {
        var gate = new GatedListerWatcher<Pod>(new KubeListerWatcher<Pod>(client, KubeResource.Pods, @namespace,
            KubeJsonContext.Default.Pod, KubeJsonContext.Default.KubeListPod));
        var metrics = new MetricsRegistry();
        var informer = new SharedInformer<Pod>(gate, new SharedInformerOptions { Watcher = watcher ?? FastWatcher(), Metrics = metrics });
        log ??= new PodEventLog();
        informer.AddEventHandler(log);
        return new PodInformerHarness(informer, gate, metrics, log);
    }

    public Task WaitForSyncAsync(TimeSpan? limit = null) =>
        Informer.WaitForSyncAsync(CancellationToken.None).WithinLimit("informer HasSynced", limit);

    /// <summary>security_operator_watch_relists_total{resource="pods",reason}.</summary>
    public double Relists(string reason) => Counter("security_operator_watch_relists_total", "reason", reason);

    /// <summary>security_operator_watch_events_total{resource="pods",type}.</summary>
    public double Events(string type) => Counter("security_operator_watch_events_total", "type", type);

    public double Backoffs => Metrics.CreateCounter("security_operator_watch_backoffs_total", "", "resource").WithLabels("pods").Value;

    private double Counter(string name, string label, string value) =>
        Metrics.CreateCounter(name, "", "resource", label).WithLabels("pods", value).Value;

    /// <summary>Cancels the informer and waits until its RunAsync returned. Idempotent.</summary>
    public async Task StopAsync()
    {
        Gate.Open();
        if (Interlocked.Exchange(ref _stopped, 1) == 0) _stop.Cancel();
        await _run.WithinLimit("the informer to stop after cancellation");
    }

    public Task Running => _run;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
