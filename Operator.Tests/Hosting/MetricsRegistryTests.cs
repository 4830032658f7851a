using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Hosting;

public class MetricsRegistryTests
{
    [Fact]
    public void Counter_with_labels_renders_each_child_sorted_and_escaped()
    {
        var registry = new MetricsRegistry();
        var requests = registry.CreateCounter("test_requests_total", "Requests by code.\nSecond line", "code", "path");
        requests.WithLabels("200", "/validate").Inc();
        requests.WithLabels("200", "/validate").Inc(2);
        requests.WithLabels("400", "a\"b\\c\nd").Inc();

        var text = registry.Render();

        Assert.Contains("# HELP test_requests_total Requests by code.\\nSecond line\n", text);
        Assert.Contains("# TYPE test_requests_total counter\n", text);
        Assert.Contains("test_requests_total{code=\"200\",path=\"/validate\"} 3\n", text);
        Assert.Contains("test_requests_total{code=\"400\",path=\"a\\\"b\\\\c\\nd\"} 1\n", text);
        Assert.True(text.IndexOf("code=\"200\"", StringComparison.Ordinal) < text.IndexOf("code=\"400\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Unlabelled_metrics_are_exposed_as_zero_before_first_use()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("test_events_total", "Events.");
        registry.CreateGauge("test_depth", "Depth.");
        var text = registry.Render();
        Assert.Contains("test_events_total 0\n", text);
        Assert.Contains("test_depth 0\n", text);
    }

    [Fact]
    public void Gauge_goes_up_and_down()
    {
        var registry = new MetricsRegistry();
        var depth = registry.CreateGauge("test_queue_depth", "Depth.", "name");
        depth.WithLabels("pods").Inc();
        depth.WithLabels("pods").Inc();
        depth.WithLabels("pods").Dec();
        depth.WithLabels("ns").Set(7.5);
        var text = registry.Render();
        Assert.Contains("test_queue_depth{name=\"pods\"} 1\n", text);
        Assert.Contains("test_queue_depth{name=\"ns\"} 7.5\n", text);
    }

    [Fact]
    public void Histogram_counts_cumulatively_with_its_own_buckets()
    {
        var registry = new MetricsRegistry();
        var latency = registry.CreateHistogram("test_latency_seconds", "Latency.", [0.1, 1]);
        latency.Observe(0.05);
        latency.Observe(0.1);   // le is inclusive
        latency.Observe(0.5);
        latency.Observe(3);
        var text = registry.Render();
        Assert.Contains("test_latency_seconds_bucket{le=\"0.1\"} 2\n", text);
        Assert.Contains("test_latency_seconds_bucket{le=\"1\"} 3\n", text);
        Assert.Contains("test_latency_seconds_bucket{le=\"+Inf\"} 4\n", text);
        Assert.Contains("test_latency_seconds_sum 3.65\n", text);
        Assert.Contains("test_latency_seconds_count 4\n", text);
    }

    [Fact]
    public void Histogram_with_labels_puts_le_last()
    {
        var registry = new MetricsRegistry();
        registry.CreateHistogram("test_h", "H.", [1], "verb").WithLabels("GET").Observe(0.5);
        Assert.Contains("test_h_bucket{verb=\"GET\",le=\"1\"} 1\n", registry.Render());
    }

    [Fact]
    public void Registering_the_same_name_returns_the_same_metric_but_a_different_kind_fails()
    {
        var registry = new MetricsRegistry();
        var a = registry.CreateCounter("test_total", "T.");
        Assert.Same(a, registry.CreateCounter("test_total", "T."));
        Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("test_total", "T."));
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("has-dash")]
    [InlineData("")]
    public void Invalid_names_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => new MetricsRegistry().CreateCounter(name, "x"));

    [Fact]
    public void Wrong_label_count_and_negative_increment_are_rejected()
    {
        var counter = new MetricsRegistry().CreateCounter("test_total", "T.", "a");
        Assert.Throws<ArgumentException>(() => counter.WithLabels("x", "y"));
        Assert.Throws<InvalidOperationException>(() => counter.Inc());
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.WithLabels("x").Inc(-1));
    }

    [Fact]
    public void Concurrent_increments_are_not_lost()
    {
        var counter = new MetricsRegistry().CreateCounter("test_total", "T.");
        Parallel.For(0, 8, _ => { for (var i = 0; i < 10_000; i++) counter.Inc(); });
        Assert.Equal(80_000, counter.Value);
    }
}
