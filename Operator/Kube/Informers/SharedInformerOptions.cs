using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Kube.Informers;

public sealed record SharedInformerOptions
{
    /// <summary>Passed to the lister/watcher factory (the first constructor of <see cref="SharedInformer{T}"/>).</summary>
    public ListWatchSelectors Selectors { get; init; } = new();

    /// <summary>Every period, each cached object is re-delivered to the handlers as an update (old == new), so level-based
    /// controllers re-check everything now and then. Null (the default, as in client-go's informer factories when 0 is
    /// passed) turns it off.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    public WatcherOptions Watcher { get; init; } = new();

    public MetricsRegistry Metrics { get; init; } = MetricsRegistry.Default;
}
