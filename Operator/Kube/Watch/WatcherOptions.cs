namespace SecurityOperator.Kube.Watch;

/// <summary>Tuning of a <see cref="Watcher{T}"/>. Every default is client-go's (k8s.io/client-go tools/cache and
/// tools/pager), so the operator loads kube-apiserver the way every controller in the cluster does.</summary>
public sealed record WatcherOptions
{
    /// <summary>Items per LIST page. 500 = defaultPageSize in k8s.io/client-go/tools/pager/pager.go.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeout is drawn uniformly from [MinWatchTimeout, 2 x MinWatchTimeout):
    /// k8s.io/client-go/tools/cache/reflector.go sets minWatchTimeout = 5 * time.Minute "to spread the load on apiserver"
    /// and asks for timeoutSeconds = int64(minWatchTimeout.Seconds() * (rand.Float64() + 1.0)).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Backoff after a failure, client-go reflector: wait.NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0).</summary>
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.ClientGoReflector;

    /// <summary>Largest single watch frame. etcd's default --max-request-bytes (1.5 MiB, etcd.io dev-guide "System
    /// limits") bounds any stored object; 16 MiB leaves room for its JSON form being several times its stored (protobuf)
    /// size, so a real event never reaches it. Past it the frame is refused (and the watcher relists) instead of growing
    /// memory without bound.</summary>
    public long MaxFrameBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Label for metrics and logs, e.g. "pods" or "securitypolicies.security.io".</summary>
    public string ResourceName { get; init; } = "unknown";

    /// <summary>Clock for backoff waits and its reset window; tests inject their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of uniform [0, 1) numbers for jitter and the watch timeout; tests inject a fixed sequence.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;
}
