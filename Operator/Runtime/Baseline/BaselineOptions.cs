namespace SecurityOperator.Runtime.Baseline;

/// <summary>How baselines are learned, bounded and reported. Defaults and where they come from are on each property.</summary>
public sealed record BaselineOptions
{
    /// <summary>How long after the first event of a workload its behaviour is learned. 10 minutes: issue 6 (long enough
    /// for start-up, readiness probes and a first round of requests). Zero turns baselines off.</summary>
    public TimeSpan Learning { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Directory components kept of an opened path: 3 tells /usr/lib/python3 from /usr/lib/ssl while a
    /// container's whole file tree stays a few hundred entries.</summary>
    public int PathDepth { get; init; } = 3;

    /// <summary>Learned entries of one workload, in bytes of their text (+ 4 each for JSON quoting). 256 KiB: a quarter
    /// of the 1 MiB a ConfigMap may hold, so JSON overhead and many containers never reach the limit. Beyond it
    /// nothing more is learned and the document says "truncated".</summary>
    public int MaxBytes { get; init; } = 256 << 10;

    /// <summary>Containers (by name) learned per workload: 16 covers sidecars, init and debug containers.</summary>
    public int MaxContainers { get; init; } = 16;

    /// <summary>The same deviation (workload, container, kind, value) is reported again only after this long: one
    /// alert per hour per new thing keeps a steady deviation visible without flooding.</summary>
    public TimeSpan AlertRepeat { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Remembered deviations per workload for that de-duplication (64 KiB); beyond it the memory is cleared.</summary>
    public int MaxRememberedAlerts { get; init; } = 4096;

    /// <summary>How often learned entries are merged into the stored baseline: 30 s bounds what a restart loses while
    /// a node writes each workload's ConfigMap at most twice a minute.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prefix lengths of learned destinations: IPv4 /24 and IPv6 /64 (a subnet; a replica set behind one
    /// Service or a cloud endpoint usually stays inside one).</summary>
    public const int V4PrefixBits = 24, V6PrefixBits = 64;
}
