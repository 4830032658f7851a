using System.Text;

namespace SecurityOperator.Hosting.Metrics;

/// <summary>A monotonically increasing count (Prometheus counter). Names should end in _total.</summary>
public sealed class Counter : MetricFamily<Counter.Child>
{
    internal Counter(string name, string help, string[] labelNames) : base(name, help, labelNames)
    {
        ExposeUnlabelled();
    }

    public override string Type => "counter";

    public void Inc(double amount = 1) => Unlabelled.Inc(amount);

    public double Value => Unlabelled.Value;

    protected override Child NewChild() => new();

    protected override void WriteChild(StringBuilder output, string labels, Child child) =>
        output.Append(Name).Append(labels).Append(' ').Append(MetricName.FormatValue(child.Value)).Append('\n');

    public sealed class Child
    {
        private AtomicDouble _value;

        public double Value => _value.Read();

        public void Inc(double amount = 1)
        {
            if (amount < 0) throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter only goes up");
            _value.Add(amount);
        }
    }
}
