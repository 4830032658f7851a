namespace SecurityOperator.Kube.Client;

/// <summary>Tuning of <see cref="KubeClient"/>. Each default names where it comes from.</summary>
public sealed class KubeClientOptions
{
    /// <summary>Sustained requests per second. 20 is controller-runtime's default for operators (pkg/client/config sets
    /// QPS 20 / burst 30 when the rest.Config leaves them zero); client-go's own default is 5 / 10, which is tuned for
    /// kubectl. Zero or negative disables client-side limiting.</summary>
    public double Qps { get; init; } = 20;

    /// <summary>Requests allowed at once above <see cref="Qps"/> (controller-runtime default 30, see <see cref="Qps"/>).</summary>
    public int Burst { get; init; } = 30;

    /// <summary>Time allowed for one non-watch request, headers and body, 30 s as the foundation issue asks; client-go has
    /// no default. Kept below kube-apiserver's 60 s --request-timeout so a hung connection is noticed first by us.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A watch has no request timeout; it is aborted only if it outlives its server-side timeoutSeconds by this
    /// margin. The server ends watches itself at the deadline (watch-02) and sends a last bookmark about 2 s before
    /// (watch-01), so 30 s of slack only ever fires on a dead connection.</summary>
    public TimeSpan WatchTimeoutMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent on every request. kube-apiserver uses its prefix as the default field manager and pretty-prints JSON
    /// for "curl" agents, so it must be our own name.</summary>
    public string UserAgent { get; init; } = $"security-operator/{Hosting.BuildFacts.Version}";

    /// <summary>Called after every HTTP exchange with (verb, HTTP status or 0 when no answer came, duration), for the
    /// API-latency metrics. Verbs are "get", "list", "create", "update", "patch", "delete", "watch" and "raw".</summary>
    public Action<string, int, TimeSpan>? OnRequestCompleted { get; init; }

    /// <summary>Called for each Warning header text (deprecations, unknown fields: errors-422 request 4) with the request
    /// ("POST /api/v1/..."). When null, warnings are logged at Warning level.</summary>
    public Action<string, string>? OnWarning { get; init; }

    /// <summary>For tests: the clock used by the rate limiter and Retry-After dates.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
