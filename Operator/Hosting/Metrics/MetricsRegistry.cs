using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>The one metrics registry of a process: every part registers its counters, gauges and histograms here and
/// the metrics endpoint renders them in the Prometheus text exposition format. Tests create their own instance.</summary>
public sealed class MetricsRegistry
{
    private readonly object _gate = new();
    private readonly List<IMetricFamily> _families = new();
    private readonly Dictionary<string, IMetricFamily> _byName = new(StringComparer.Ordinal);

    public static MetricsRegistry Default { get; } = new();

    public Counter CreateCounter(string name, string help, params string[] labelNames) =>
        GetOrCreate(name, () => new Counter(name, help, labelNames));

    public Gauge CreateGauge(string name, string help, params string[] labelNames) =>
        GetOrCreate(name, () => new Gauge(name, help, labelNames));

    public Histogram CreateHistogram(string name, string help, double[]? buckets, params string[] labelNames) =>
        GetOrCreate(name, () => new Histogram(name, help, buckets, labelNames));

    /// <summary>Creating the same metric twice (e.g. two informers of one process) returns the first instance, provided the
    /// kind matches: parts need not coordinate who registers first.</summary>
    private TFamily GetOrCreate<TFamily>(string name, Func<TFamily> create) where TFamily : class, IMetricFamily
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var existing))
                return existing as TFamily
                       ?? throw new InvalidOperationException($"metric {name} is already registered as a {existing.GetType().Name}");
            var family = create();
            _byName.Add(name, family);
            _families.Add(family);
            return family;
        }
    }

    /// <summary>The text exposition (Content-Type: text/plain; version=0.0.4).</summary>
    public string Render()
    {
        IMetricFamily[] families;
        lock (_gate) families = _families.ToArray();
        var output = new StringBuilder(4096);
        foreach (var family in families.OrderBy(f => f.Name, StringComparer.Ordinal)) family.WriteTo(output);
        return output.ToString();
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
}
