using System.Net;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

/// <summary>Each validator of <see cref="Flags.All"/>: bad values give one line naming the flag, the value and the rule;
/// good values come back typed.</summary>
public class CommandLineValidationTests
{
    private static OperatorOptions Parse(params string[] args) => CommandLineParser.Parse(args, _ => null);

    private static string UsageError(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Theory]
    [InlineData("manager")]
    [InlineData("Controller")]
    [InlineData("")]
    public void Unknown_role(string role) =>
        Assert.Equal($"invalid value '{role}' for --role: must be one of controller, webhook, node, audit",
            UsageError("--role", role));

    [Fact]
    public void Unknown_role_written_with_equals() =>
        Assert.Equal("invalid value 'manager' for --role: must be one of controller, webhook, node, audit", UsageError("--role=manager"));

    [Theory]
    [InlineData("verbose")]
    [InlineData("INFO")]
    [InlineData("warning")]
    [InlineData("trace")]
    public void Unknown_log_level(string level) =>
        Assert.Equal($"invalid value '{level}' for --log-level: must be one of debug, info, warn, error",
            UsageError("--role", "controller", "--log-level", level));

    [Theory]
    [InlineData("debug")]
    [InlineData("info")]
    [InlineData("warn")]
    [InlineData("error")]
    public void Every_log_level_name_is_accepted(string level) =>
        Assert.Equal(level, Parse("--role", "controller", "--log-level", level).GetString(Flags.LogLevel));

    [Theory]
    [InlineData("host:99999", "port must be a number from 0 to 65535")]
    [InlineData(":65536", "port must be a number from 0 to 65535")]
    [InlineData(":-1", "port must be a number from 0 to 65535")]
    [InlineData(":http", "port must be a number from 0 to 65535")]
    [InlineData("127.0.0.1:", "port must be a number from 0 to 65535")]
    [InlineData("8080", "must be HOST:PORT or :PORT")]
    [InlineData("metrics:8080", "host 'metrics' is not an IP address (write IPv6 as [::1])")]
    [InlineData("::1:8080", "host '::1' is not an IP address (write IPv6 as [::1])")]
    public void Bad_metrics_address(string address, string problem) =>
        Assert.Equal($"invalid value '{address}' for --metrics-address: {problem}",
            UsageError("--role", "controller", "--metrics-address", address));

    [Fact]
    public void Metrics_address_in_brackets_is_ipv6() =>
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 8080),
            Parse("--role", "webhook", "--metrics-address", "[::1]:8080").GetListenAddress(Flags.MetricsAddress));

    [Fact]
    public void Metrics_address_with_only_port_zero_listens_everywhere_on_a_free_port() =>
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 0),
            Parse("--role", "node", "--metrics-address", ":0").GetListenAddress(Flags.MetricsAddress));

    [Fact]
    public void Metrics_address_localhost_is_the_ipv4_loopback() =>
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1),
            Parse("--role", "controller", "--metrics-address=localhost:1").GetListenAddress(Flags.MetricsAddress));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("fast")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("")]
    public void Qps_must_be_a_positive_number(string qps) =>
        Assert.Equal($"invalid value '{qps}' for --kube-api-qps: must be a positive number",
            UsageError("--role", "controller", "--kube-api-qps", qps));

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("100", 100)]
    [InlineData("1e2", 100)]
    public void Qps_accepts_fractions_and_exponents(string qps, double expected) =>
        Assert.Equal(expected, Parse("--role", "controller", "--kube-api-qps", qps).GetDouble(Flags.KubeApiQps));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("+3")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("ten")]
    public void Burst_must_be_a_positive_integer(string burst) =>
        Assert.Equal($"invalid value '{burst}' for --kube-api-burst: must be a positive integer",
            UsageError("--role", "controller", "--kube-api-burst", burst));

    [Theory]
    [InlineData("5x")]
    [InlineData("30")]
    [InlineData("-5s")]
    [InlineData("1d")]
    [InlineData("")]
    public void Shutdown_timeout_must_be_a_duration(string duration) =>
        Assert.Equal($"invalid value '{duration}' for --shutdown-timeout: must be a duration such as 30s, 5m or 1h30m",
            UsageError("--role", "controller", "--shutdown-timeout", duration));

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("0", 0)]
    public void Shutdown_timeout_accepts_go_durations(string duration, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds),
            Parse("--role", "controller", "--shutdown-timeout", duration).GetDuration(Flags.ShutdownTimeout));

    [Fact]
    public void Values_are_validated_before_the_role_is_checked() =>
        Assert.Equal("invalid value 'loud' for --log-level: must be one of debug, info, warn, error",
            UsageError("--log-level", "loud"));

    [Fact]
    public void A_bad_value_is_reported_even_with_help() =>
        Assert.Equal("invalid value 'loud' for --log-level: must be one of debug, info, warn, error",
            UsageError("--help", "--log-level", "loud"));
}
