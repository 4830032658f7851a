using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Kube.Queue;

public sealed record WorkQueueOptions<TKey> where TKey : notnull
{
    /// <summary>The queue's metrics label, e.g. "securitypolicy-controller".</summary>
    public required string Name { get; init; }

    /// <summary>Used by AddRateLimited. Default: client-go's DefaultControllerRateLimiter (see MaxOfRateLimiter).</summary>
    public IRateLimiter<TKey>? RateLimiter { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public MetricsRegistry Metrics { get; init; } = MetricsRegistry.Default;
}
