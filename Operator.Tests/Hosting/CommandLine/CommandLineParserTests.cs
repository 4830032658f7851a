using System.Net;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

/// <summary>The syntax of the command line: how flags take values, switches, positional arguments, and the one-line
/// errors for arguments that cannot be read.</summary>
public class CommandLineParserTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static OperatorOptions Parse(params string[] args) => CommandLineParser.Parse(args, NoEnvironment);

    private static string UsageError(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Fact]
    public void Flag_and_value_as_two_arguments()
    {
        var options = Parse("--role", "controller", "--log-level", "debug");
        Assert.Equal("controller", options.Role);
        Assert.Equal("debug", options.GetString(Flags.LogLevel));
    }

    [Fact]
    public void Flag_and_value_joined_by_equals_keeps_everything_after_the_first_equals()
    {
        var options = Parse("--role=webhook", "--kubeconfig=/etc/kube/config=prod");
        Assert.Equal("webhook", options.Role);
        Assert.Equal("/etc/kube/config=prod", options.GetString(Flags.Kubeconfig));
    }

    [Fact]
    public void Equals_with_nothing_after_it_is_an_empty_value()
    {
        var options = Parse("--role", "controller", "--kubeconfig=");
        Assert.Equal("", options.GetString(Flags.Kubeconfig));
        Assert.Equal("flag", options.Sources["kubeconfig"]);
    }

    [Fact]
    public void Unset_flags_read_their_defaults_and_say_so()
    {
        var options = Parse("--role", "controller");
        Assert.Equal("info", options.GetString(Flags.LogLevel));
        Assert.Equal(20, options.GetDouble(Flags.KubeApiQps));
        Assert.Equal(30, options.GetInt(Flags.KubeApiBurst));
        Assert.Equal(TimeSpan.FromSeconds(25), options.GetDuration(Flags.ShutdownTimeout));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 8080), options.GetListenAddress(Flags.MetricsAddress));
        Assert.False(options.Sources.ContainsKey("log-level"));
        Assert.Equal("flag", options.Sources["role"]);
    }

    [Fact]
    public void A_switch_alone_is_true_and_never_takes_the_next_argument()
    {
        var options = Parse("--help", "controller");
        Assert.True(options.GetBool(Flags.Help));
        Assert.Equal(new[] { "controller" }, options.Positional);
    }

    [Fact]
    public void Dash_h_is_help()
    {
        Assert.True(Parse("-h").GetBool(Flags.Help));
    }

    [Fact]
    public void Help_and_version_need_no_role()
    {
        Assert.True(Parse("--help").GetBool(Flags.Help));
        Assert.True(Parse("--version").GetBool(Flags.Version));
        Assert.Equal("", Parse("--version").Role);
    }

    [Theory]
    [InlineData("--version=true", true)]
    [InlineData("--version=TRUE", true)]
    [InlineData("--version=1", true)]
    [InlineData("--version=yes", true)]
    public void A_switch_accepts_an_explicit_true(string arg, bool expected) =>
        Assert.Equal(expected, Parse(arg).GetBool(Flags.Version));

    [Theory]
    [InlineData("--version=false")]
    [InlineData("--version=0")]
    [InlineData("--version=no")]
    public void A_switch_set_to_false_is_off_so_the_role_is_required_again(string arg)
    {
        Assert.False(Parse(arg, "--role", "audit").GetBool(Flags.Version));
        Assert.Equal("--role is required: one of controller, webhook, node, audit", UsageError(arg));
    }

    [Fact]
    public void A_switch_with_a_value_that_is_not_a_boolean_is_an_error() =>
        Assert.Equal("invalid value 'maybe' for --help: must be true or false", UsageError("--help=maybe"));

    [Fact]
    public void Positional_arguments_are_kept_in_order()
    {
        var options = Parse("a.yaml", "--role", "audit", "dir/");
        Assert.Equal(new[] { "a.yaml", "dir/" }, options.Positional);
    }

    [Fact]
    public void A_single_dash_is_a_positional_argument_meaning_stdin()
    {
        var options = Parse("--role", "audit", "-");
        Assert.Equal(new[] { "-" }, options.Positional);
    }

    [Fact]
    public void Everything_after_double_dash_is_positional_even_if_it_looks_like_a_flag()
    {
        var options = Parse("--role", "audit", "--", "--log-level", "-h", "-", "--");
        Assert.Equal(new[] { "--log-level", "-h", "-", "--" }, options.Positional);
        Assert.Equal("info", options.GetString(Flags.LogLevel));
        Assert.False(options.GetBool(Flags.Help));
    }

    [Fact]
    public void Unknown_double_dash_flag_is_named() =>
        Assert.Equal("unknown flag --bogus", UsageError("--role", "controller", "--bogus", "1"));

    [Fact]
    public void Unknown_flag_written_with_equals_is_named_without_its_value() =>
        Assert.Equal("unknown flag --log-levl", UsageError("--role", "controller", "--log-levl=debug"));

    [Theory]
    [InlineData("-x")]
    [InlineData("-role")]
    [InlineData("-v")]
    public void Single_dash_flags_are_unknown_and_the_message_shows_the_right_form(string arg) =>
        Assert.Equal($"unknown flag '{arg}' (flags are written --name)", UsageError("--role", "controller", arg));

    [Fact]
    public void Unknown_flags_are_reported_even_with_help() =>
        Assert.Equal("unknown flag --bogus", UsageError("--help", "--bogus"));

    [Fact]
    public void A_value_flag_at_the_end_without_its_value_is_named() =>
        Assert.Equal("flag --log-level needs a value", UsageError("--role", "controller", "--log-level"));

    [Fact]
    public void Missing_role_value_is_named() =>
        Assert.Equal("flag --role needs a value", UsageError("--role"));

    [Fact]
    public void The_same_value_flag_twice_is_an_error() =>
        Assert.Equal("flag --log-level given twice", UsageError("--role", "controller", "--log-level", "debug", "--log-level=warn"));

    [Fact]
    public void The_role_twice_is_an_error_even_with_the_same_value() =>
        Assert.Equal("flag --role given twice", UsageError("--role", "controller", "--role=controller"));

    [Fact]
    public void Missing_role_lists_the_roles() =>
        Assert.Equal("--role is required: one of controller, webhook, node, audit", UsageError("--log-level", "debug"));

    [Fact]
    public void No_arguments_at_all_asks_for_the_role() =>
        Assert.Equal("--role is required: one of controller, webhook, node, audit", UsageError());

    [Fact]
    public void A_cluster_flag_with_the_audit_role_is_an_error_naming_its_roles() =>
        Assert.Equal("flag --metrics-address does not apply to --role audit (it is for controller, webhook, node)",
            UsageError("--role", "audit", "--metrics-address", ":9090"));

    [Theory]
    [InlineData("--kubeconfig", "none")]
    [InlineData("--kube-api-qps", "5")]
    [InlineData("--kube-api-burst", "10")]
    public void Every_cluster_flag_is_refused_for_audit(string flag, string value) =>
        Assert.StartsWith($"flag {flag} does not apply to --role audit", UsageError("--role", "audit", flag, value));

    [Theory]
    [InlineData("controller")]
    [InlineData("webhook")]
    [InlineData("node")]
    public void Cluster_flags_apply_to_every_cluster_role(string role)
    {
        var options = Parse("--role", role, "--metrics-address", "127.0.0.1:9090", "--kubeconfig", "none",
            "--kube-api-qps", "2.5", "--kube-api-burst", "4", "--shutdown-timeout", "10s", "--log-level", "warn");
        Assert.Equal(role, options.Role);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9090), options.GetListenAddress(Flags.MetricsAddress));
        Assert.Equal("none", options.GetString(Flags.Kubeconfig));
        Assert.Equal(2.5, options.GetDouble(Flags.KubeApiQps));
        Assert.Equal(4, options.GetInt(Flags.KubeApiBurst));
        Assert.Equal(TimeSpan.FromSeconds(10), options.GetDuration(Flags.ShutdownTimeout));
    }

    [Fact]
    public void Flags_for_every_role_apply_to_audit()
    {
        var options = Parse("--role", "audit", "--log-level", "error", "--shutdown-timeout", "1m");
        Assert.Equal("error", options.GetString(Flags.LogLevel));
        Assert.Equal(TimeSpan.FromMinutes(1), options.GetDuration(Flags.ShutdownTimeout));
    }
}
