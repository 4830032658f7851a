using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Kube.Client;
using SecurityOperator.Runtime.Detection;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>The baseline part of --role node, built from its flags: the monitor on the event thread and, with an API
/// server, the sync loop that keeps each workload's ConfigMap. Standalone (--kubeconfig none) the baselines live in
/// memory only and each pod is its own workload (no owners are known).</summary>
public sealed class NodeBaseline
{
    /// <summary>How long the final merge at stop may take: within the 25 s --shutdown-timeout default, leaving time to detach.</summary>
    public static readonly TimeSpan FinalSaveTimeout = TimeSpan.FromSeconds(10);

    private NodeBaseline(BaselineMonitor monitor, BaselineSync? sync)
    {
        Monitor = monitor;
        Sync = sync;
    }

    public BaselineMonitor Monitor { get; }

    public BaselineSync? Sync { get; }

    /// <summary>Null when --baseline-learning is 0.</summary>
    public static NodeBaseline? Create(OperatorOptions flags, KubeClient? client, WorkloadDirectory? workloads, Action<RuntimeAlert> raise,
        BootClock clock, ILoggerFactory loggers)
    {
        var learning = flags.GetDuration(Flags.BaselineLearning);
        if (learning <= TimeSpan.Zero) return null;
        var options = new BaselineOptions { Learning = learning, PathDepth = flags.GetInt(Flags.BaselinePathDepth) };
        var log = loggers.CreateLogger("baseline");
        var monitor = new BaselineMonitor(options, workloads, raise, clock, persistent: client is not null);
        var sync = client is null ? null : new BaselineSync(monitor, new ConfigMapBaselineStore(client, options, log), log);
        return new NodeBaseline(monitor, sync);
    }

    public Task RunAsync(CancellationToken stopping) => Sync?.RunAsync(stopping) ?? Task.CompletedTask;

    /// <summary>Stores what was learned since the last sync, so a restart loses nothing of a window in progress.</summary>
    public async Task SaveAtStopAsync()
    {
        if (Sync is null) return;
        using var timeout = new CancellationTokenSource(FinalSaveTimeout);
        try
        {
            await Sync.SaveDirtyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
