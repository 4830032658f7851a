using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Client;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Moves baselines between the monitor and the store: reads the stored baseline of each newly seen
/// workload (every second), merges what this node learned into the store (every <see cref="BaselineOptions.SyncInterval"/>),
/// and once more at stop. Store failures are logged and retried on the next round; nothing learned is dropped.</summary>
public sealed class BaselineSync(BaselineMonitor monitor, IBaselineStore store, ILogger? logger = null)
{
    /// <summary>How often newly seen workloads are looked up: their events are not judged until then, so 1 s.</summary>
    public static readonly TimeSpan LoadInterval = TimeSpan.FromSeconds(1);

    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly List<WorkloadBaseline> _retryLoads = [];

    public async Task RunAsync(CancellationToken stopping)
    {
        var lastSave = DateTimeOffset.UtcNow;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await LoadNewAsync(stopping).ConfigureAwait(false);
                if (DateTimeOffset.UtcNow - lastSave >= monitor.Options.SyncInterval)
                {
                    await SaveDirtyAsync(stopping).ConfigureAwait(false);
                    lastSave = DateTimeOffset.UtcNow;
                }
                await Task.Delay(LoadInterval, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the stored baselines of the workloads seen since the last call.</summary>
    public async Task LoadNewAsync(CancellationToken cancellationToken)
    {
        var pending = new List<WorkloadBaseline>(_retryLoads);
        _retryLoads.Clear();
        while (monitor.TryTakeLoad(out var baseline)) pending.Add(baseline);
        foreach (var baseline in pending)
        {
            try
            {
                var stored = await store.LoadAsync(baseline.Workload, cancellationToken).ConfigureAwait(false);
                lock (baseline.Gate) baseline.Adopt(stored, 0);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or KubeResponseFormatException)
            {
                _retryLoads.Add(baseline);
                _log.LogWarning("baseline of {Workload}: cannot read it ({Reason}); its events are not judged until it can be read", baseline.Workload, e.Message);
            }
        }
    }

    /// <summary>Merges every baseline with unsaved entries into the store and takes in what other nodes stored.</summary>
    public async Task SaveDirtyAsync(CancellationToken cancellationToken)
    {
        foreach (var baseline in monitor.Baselines)
        {
            BaselineDocument local;
            long changes;
            lock (baseline.Gate)
            {
                if (!baseline.Loaded || !baseline.Dirty) continue;
                local = baseline.Snapshot(out changes);
            }
            try
            {
                var stored = await store.SaveAsync(baseline.Workload, local, cancellationToken).ConfigureAwait(false);
                lock (baseline.Gate) baseline.Adopt(stored, changes);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or KubeResponseFormatException)
            {
                _log.LogWarning("baseline of {Workload}: cannot store it ({Reason}); retried in {Interval}", baseline.Workload, e.Message, monitor.Options.SyncInterval);
            }
        }
    }
}
