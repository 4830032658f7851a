using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>A value that goes up and down (Prometheus gauge).</summary>
public sealed class Gauge : MetricFamily<Gauge.Child>
{
    internal Gauge(string name, string help, string[] labelNames) : base(name, help, labelNames)
    {
        ExposeUnlabelled();
    }

    public override string Type => "gauge";

    public void Set(double value) => Unlabelled.Set(value);
    public void Inc(double amount = 1) => Unlabelled.Inc(amount);
    public void Dec(double amount = 1) => Unlabelled.Dec(amount);
    public double Value => Unlabelled.Value;

    protected override Child NewChild() => new();

    protected override void WriteChild(StringBuilder output, string labels, Child child) =>
        output.Append(Name).Append(labels).Append(' ').Append(MetricName.FormatValue(child.Value)).Append('\n');

    public sealed class Child
    {
        private AtomicDouble _value;

        public double Value => _value.Read();
        public void Set(double value) => _value.Set(value);
        public void Inc(double amount = 1) => _value.Add(amount);
        public void Dec(double amount = 1) => _value.Add(-amount);
    }
}
