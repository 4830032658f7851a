using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

/// <summary>Every flag can come from SECURITY_OPERATOR_&lt;FLAG&gt;; the command line wins; environment values are
/// validated like flags and their errors name the variable.</summary>
public class CommandLineEnvironmentTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    private static string UsageError(string[] args, Func<string, string?> environment) =>
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(args, environment)).Message;

    [Theory]
    [InlineData("role", "SECURITY_OPERATOR_ROLE")]
    [InlineData("log-level", "SECURITY_OPERATOR_LOG_LEVEL")]
    [InlineData("metrics-address", "SECURITY_OPERATOR_METRICS_ADDRESS")]
    [InlineData("kube-api-qps", "SECURITY_OPERATOR_KUBE_API_QPS")]
    [InlineData("shutdown-timeout", "SECURITY_OPERATOR_SHUTDOWN_TIMEOUT")]
    public void Variable_name_is_the_flag_in_upper_case_with_underscores(string flag, string variable) =>
        Assert.Equal(variable, Flags.Find(flag)!.EnvironmentVariable);

    [Fact]
    public void Log_level_from_the_environment()
    {
        var options = CommandLineParser.Parse(["--role", "controller"], Environment(("SECURITY_OPERATOR_LOG_LEVEL", "debug")));
        Assert.Equal("debug", options.GetString(Flags.LogLevel));
        Assert.Equal("env", options.Sources["log-level"]);
    }

    [Fact]
    public void Role_from_the_environment()
    {
        var options = CommandLineParser.Parse([], Environment(("SECURITY_OPERATOR_ROLE", "webhook")));
        Assert.Equal("webhook", options.Role);
        Assert.Equal("env", options.Sources["role"]);
    }

    [Fact]
    public void The_flag_wins_over_the_environment()
    {
        var options = CommandLineParser.Parse(["--role", "node", "--log-level=warn"],
            Environment(("SECURITY_OPERATOR_ROLE", "webhook"), ("SECURITY_OPERATOR_LOG_LEVEL", "debug")));
        Assert.Equal("node", options.Role);
        Assert.Equal("warn", options.GetString(Flags.LogLevel));
        Assert.Equal("flag", options.Sources["log-level"]);
    }

    [Fact]
    public void A_flag_given_once_with_the_same_variable_set_is_not_given_twice()
    {
        var options = CommandLineParser.Parse(["--role", "controller", "--kube-api-qps", "7"],
            Environment(("SECURITY_OPERATOR_KUBE_API_QPS", "9")));
        Assert.Equal(7, options.GetDouble(Flags.KubeApiQps));
    }

    [Fact]
    public void A_bad_variable_is_not_read_when_the_flag_wins()
    {
        var options = CommandLineParser.Parse(["--role", "controller", "--log-level", "info"],
            Environment(("SECURITY_OPERATOR_LOG_LEVEL", "chatty")));
        Assert.Equal("info", options.GetString(Flags.LogLevel));
    }

    [Fact]
    public void An_empty_variable_counts_as_unset()
    {
        var options = CommandLineParser.Parse(["--role", "controller"], Environment(("SECURITY_OPERATOR_LOG_LEVEL", "")));
        Assert.Equal("info", options.GetString(Flags.LogLevel));
        Assert.False(options.Sources.ContainsKey("log-level"));
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable() =>
        Assert.Equal("invalid value 'chatty' for SECURITY_OPERATOR_LOG_LEVEL: must be one of debug, info, warn, error",
            UsageError(["--role", "controller"], Environment(("SECURITY_OPERATOR_LOG_LEVEL", "chatty"))));

    [Fact]
    public void A_bad_role_from_the_environment_names_the_variable() =>
        Assert.Equal("invalid value 'manager' for SECURITY_OPERATOR_ROLE: must be one of controller, webhook, node, audit",
            UsageError([], Environment(("SECURITY_OPERATOR_ROLE", "manager"))));

    [Fact]
    public void A_bad_address_from_the_environment_names_the_variable() =>
        Assert.Equal("invalid value 'host:99999' for SECURITY_OPERATOR_METRICS_ADDRESS: port must be a number from 0 to 65535",
            UsageError(["--role", "controller"], Environment(("SECURITY_OPERATOR_METRICS_ADDRESS", "host:99999"))));

    [Fact]
    public void A_bad_switch_from_the_environment_names_the_variable() =>
        Assert.Equal("invalid value 'sure' for SECURITY_OPERATOR_VERSION: must be true or false",
            UsageError([], Environment(("SECURITY_OPERATOR_VERSION", "sure"))));

    [Fact]
    public void A_switch_from_the_environment()
    {
        var options = CommandLineParser.Parse([], Environment(("SECURITY_OPERATOR_VERSION", "true")));
        Assert.True(options.GetBool(Flags.Version));
    }

    [Fact]
    public void A_cluster_variable_is_ignored_by_the_audit_role_so_one_environment_can_serve_every_role()
    {
        // One ConfigMap of SECURITY_OPERATOR_* variables is commonly shared by every Deployment of an operator.
        var options = CommandLineParser.Parse(["--role", "audit"], Environment(("SECURITY_OPERATOR_METRICS_ADDRESS", ":9090")));
        Assert.Equal("audit", options.Role);
        Assert.Equal("env", options.Sources["metrics-address"]);
    }

    [Fact]
    public void The_role_from_the_environment_still_refuses_flags_of_other_roles() =>
        Assert.Equal("flag --kubeconfig does not apply to --role audit (it is for controller, webhook, node)",
            UsageError(["--kubeconfig", "none"], Environment(("SECURITY_OPERATOR_ROLE", "audit"))));

    [Fact]
    public void Only_the_flag_variables_are_read()
    {
        var asked = new List<string>();
        CommandLineParser.Parse(["--role", "controller"], name => { asked.Add(name); return null; });
        Assert.Equal(Flags.All.Where(f => f.Name != "role").Select(f => f.EnvironmentVariable).Order(), asked.Order());
    }
}
