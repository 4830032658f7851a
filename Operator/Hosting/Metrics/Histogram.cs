using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>Observations counted into cumulative buckets (Prometheus histogram), plus their sum and count.</summary>
public sealed class Histogram : MetricFamily<Histogram.Child>
{
    /// <summary>The Prometheus client libraries' default buckets (seconds): suits request latencies from 5 ms to 10 s.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Buckets for sub-millisecond work (admission decisions, evaluations): 10 µs to 1 s.</summary>
    public static readonly double[] FastBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1, 1];

    private readonly double[] _upperBounds;

    internal Histogram(string name, string help, double[]? buckets, string[] labelNames) : base(name, help, Check(labelNames, name))
    {
        // The +Inf bucket is always rendered; an explicit one (the Go and Python clients' convention) is dropped so it
        // is not exposed twice.
        _upperBounds = (buckets ?? DefaultBuckets).Where(b => !double.IsPositiveInfinity(b)).ToArray();
        for (var i = 1; i < _upperBounds.Length; i++)
            if (!(_upperBounds[i] > _upperBounds[i - 1]))
                throw new ArgumentException($"histogram {name}: buckets must be strictly increasing");
        ExposeUnlabelled();
    }

    private static string[] Check(string[] labelNames, string name) =>
        labelNames.Contains("le") ? throw new ArgumentException($"histogram {name}: 'le' is reserved") : labelNames;

    public override string Type => "histogram";

    public void Observe(double value) => Unlabelled.Observe(value);

    protected override Child NewChild() => new(_upperBounds);

    protected override void WriteChild(StringBuilder output, string labels, Child child)
    {
        var values = LabelValuesOf(labels);
        long cumulative = 0;
        for (var i = 0; i < child.UpperBounds.Length; i++)
        {
            cumulative += child.BucketCount(i);
            output.Append(Name).Append("_bucket").Append(WithLe(values, MetricName.FormatValue(child.UpperBounds[i])))
                .Append(' ').Append(cumulative).Append('\n');
        }
        cumulative += child.BucketCount(child.UpperBounds.Length);
        output.Append(Name).Append("_bucket").Append(WithLe(values, "+Inf")).Append(' ').Append(cumulative).Append('\n');
        output.Append(Name).Append("_sum").Append(labels).Append(' ').Append(MetricName.FormatValue(child.Sum)).Append('\n');
        output.Append(Name).Append("_count").Append(labels).Append(' ').Append(cumulative).Append('\n');
    }

    // The rendered label set without its braces, so that le can be appended.
    private static string LabelValuesOf(string labels) => labels.Length == 0 ? "" : labels[1..^1];

    private static string WithLe(string inner, string le) => inner.Length == 0 ? $"{{le=\"{le}\"}}" : $"{{{inner},le=\"{le}\"}}";

    public sealed class Child
    {
        private readonly long[] _counts;
        private AtomicDouble _sum;

        internal Child(double[] upperBounds)
        {
            UpperBounds = upperBounds;
            _counts = new long[upperBounds.Length + 1];
        }

        internal double[] UpperBounds { get; }
        public double Sum => _sum.Read();
        public long Count => _counts.Sum(c => Interlocked.Read(ref c));
        internal long BucketCount(int i) => Interlocked.Read(ref _counts[i]);

        public void Observe(double value)
        {
            var i = 0;
            while (i < UpperBounds.Length && value > UpperBounds[i]) i++;
            Interlocked.Increment(ref _counts[i]);
            _sum.Add(value);
        }
    }
}
