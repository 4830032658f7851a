using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Hosting.Metrics;

/// <summary>Details of the Prometheus text exposition beyond MetricsRegistryTests: ordering, special values, empty
/// families, name rules and histogram edge cases.</summary>
public class MetricsExpositionTests
{
    [Fact]
    public void Families_are_rendered_sorted_by_name_whatever_the_registration_order()
    {
        var registry = new MetricsRegistry();
        registry.CreateGauge("zz_last", "Z.");
        registry.CreateCounter("aa_first_total", "A.");
        registry.CreateHistogram("mm_middle_seconds", "M.", [1]);
        var text = registry.Render();
        var a = text.IndexOf("# HELP aa_first_total", StringComparison.Ordinal);
        var m = text.IndexOf("# HELP mm_middle_seconds", StringComparison.Ordinal);
        var z = text.IndexOf("# HELP zz_last", StringComparison.Ordinal);
        Assert.True(a >= 0 && a < m && m < z, text);
    }

    [Fact]
    public void A_labelled_family_without_children_has_only_help_and_type()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("test_requests_total", "Requests.", "code");
        Assert.Equal("# HELP test_requests_total Requests.\n# TYPE test_requests_total counter\n", registry.Render());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1E+21")]
    [InlineData(123456789012, "123456789012")]
    public void Gauge_values_use_the_exposition_spelling(double value, string expected)
    {
        var registry = new MetricsRegistry();
        registry.CreateGauge("test_value", "V.").Set(value);
        Assert.Contains($"test_value {expected}\n", registry.Render());
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var registry = new MetricsRegistry();
        registry.CreateGauge("test_g", "path C:\\x \"quoted\"\nnext");
        Assert.Contains("# HELP test_g path C:\\\\x \"quoted\"\\nnext\n", registry.Render());
    }

    [Fact]
    public void Label_values_keep_unicode_as_is()
    {
        var registry = new MetricsRegistry();
        registry.CreateCounter("test_total", "T.", "ns").WithLabels("équipe-ü").Inc();
        Assert.Contains("test_total{ns=\"équipe-ü\"} 1\n", registry.Render());
    }

    [Theory]
    [InlineData("__reserved")]
    [InlineData("1st")]
    [InlineData("has-dash")]
    [InlineData("has:colon")]
    [InlineData("")]
    public void Invalid_label_names_are_rejected_with_the_metric_named(string label)
    {
        var error = Assert.Throws<ArgumentException>(() => new MetricsRegistry().CreateCounter("test_total", "T.", label));
        Assert.Contains($"invalid label name '{label}' on metric test_total", error.Message);
    }

    [Theory]
    [InlineData("namespace:rule_name")]
    [InlineData("_private")]
    [InlineData("Mixed_Case_9")]
    public void Valid_metric_names_include_colons(string name) => new MetricsRegistry().CreateGauge(name, "x");

    [Fact]
    public void Histogram_label_le_is_reserved() =>
        Assert.Contains("'le' is reserved", Assert.Throws<ArgumentException>(() =>
            new MetricsRegistry().CreateHistogram("test_h", "H.", [1], "le")).Message);

    [Theory]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 2.0, 1.0 })]
    [InlineData(new[] { 1.0, double.NaN })]
    public void Histogram_buckets_must_increase_strictly(double[] buckets) =>
        Assert.Contains("buckets must be strictly increasing", Assert.Throws<ArgumentException>(() =>
            new MetricsRegistry().CreateHistogram("test_h", "H.", buckets)).Message);

    [Fact]
    public void Histogram_without_buckets_uses_the_prometheus_defaults()
    {
        var registry = new MetricsRegistry();
        registry.CreateHistogram("test_h", "H.", null).Observe(0.003);
        var text = registry.Render();
        foreach (var bound in Histogram.DefaultBuckets)
            Assert.Contains($"test_h_bucket{{le=\"{bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\"}} 1\n", text);
        Assert.Contains("test_h_bucket{le=\"+Inf\"} 1\n", text);
    }

    [Fact]
    public void Histogram_with_no_observations_is_all_zero()
    {
        var registry = new MetricsRegistry();
        registry.CreateHistogram("test_h", "H.", [0.5]);
        Assert.Equal("# HELP test_h H.\n# TYPE test_h histogram\ntest_h_bucket{le=\"0.5\"} 0\ntest_h_bucket{le=\"+Inf\"} 0\n"
                     + "test_h_sum 0\ntest_h_count 0\n", registry.Render());
    }

    [Fact]
    public void Histogram_child_count_and_sum_agree_with_the_exposition_after_concurrent_observations()
    {
        var registry = new MetricsRegistry();
        var child = registry.CreateHistogram("test_h", "H.", [1, 2], "verb").WithLabels("GET");
        Parallel.For(0, 4, _ => { for (var i = 0; i < 1000; i++) child.Observe(i % 3); });
        Assert.Equal(4000, child.Count);
        Assert.Equal(4 * (333 * 1 + 333 * 2), child.Sum); // per thread: 334 zeros, 333 ones, 333 twos
        var text = registry.Render();
        Assert.Contains("test_h_bucket{verb=\"GET\",le=\"1\"} 2668\n", text);
        Assert.Contains("test_h_count{verb=\"GET\"} 4000\n", text);
        Assert.Contains("test_h_bucket{verb=\"GET\",le=\"+Inf\"} 4000\n", text);
    }

    [Fact]
    public void An_explicit_infinite_bucket_is_not_rendered_twice()
    {
        var registry = new MetricsRegistry();
        registry.CreateHistogram("test_h", "H.", [1, double.PositiveInfinity]).Observe(5);
        var text = registry.Render();
        Assert.Single(text.Split('\n'), line => line.StartsWith("test_h_bucket{le=\"+Inf\"}", StringComparison.Ordinal));
        Assert.Contains("test_h_bucket{le=\"+Inf\"} 1\n", text);
    }
}
