namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>Knobs of the double. Defaults come from the recorded v1.28 server unless said otherwise.</summary>
public sealed class ApiServerDoubleOptions
{
    /// <summary>watch-01: the first BOOKMARK came ~60 s after the watch started.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>watch-01/02: a BOOKMARK ~2 s before the timeoutSeconds deadline.</summary>
    public TimeSpan BookmarkBeforeDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Watch length without timeoutSeconds: kube-apiserver's --min-request-timeout default (1800 s); the real
    /// server randomises between 1× and 2× of it.</summary>
    public TimeSpan DefaultWatchTimeout { get; set; } = TimeSpan.FromSeconds(1800);

    /// <summary>Frames queued per watch before the watch is ended as too slow (the client re-watches). Chosen so a
    /// burst of 10,000 changes still fits; the real cacheWatcher buffer is smaller.</summary>
    public int WatchQueueCapacity { get; set; } = 20_000;

    /// <summary>Events kept for watches that resume from an older resourceVersion (the watch cache window). Past it the
    /// oldest quarter is compacted and older watches get 410. Memory bound, not a recorded value.</summary>
    public int EventHistoryCapacity { get; set; } = 50_000;

    /// <summary>kube-apiserver --max-request-bytes default (3 MiB): larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>The revision before the first write (a fresh cluster already has a few hundred).</summary>
    public long InitialResourceVersion { get; set; } = 100;

    /// <summary>Register <see cref="ResourceCatalog.Common"/> at start.</summary>
    public bool RegisterCommonResources { get; set; } = true;

    /// <summary>Namespaces that exist at start (those of a fresh cluster).</summary>
    public IReadOnlyList<string> InitialNamespaces { get; set; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Entries kept in <see cref="ApiServerDouble.Requests"/>.</summary>
    public int RequestLogCapacity { get; set; } = 10_000;

    /// <summary>Clock for creationTimestamp/deletionTimestamp (watch timers use the wall clock).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
