using System.Text.RegularExpressions;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Roles;

namespace SecurityOperator.Tests.Hosting;

/// <summary>OperatorHost.RunAsync in-process with injected arguments, environment and streams: what the user sees on
/// stdout/stderr and the exit code, for everything that ends before a role runs.</summary>
public class OperatorHostTests
{
    private const string Hint = "run 'security-operator --help' for every flag and its default";

    private sealed record Run(int ExitCode, string Stdout, string Stderr, long LogBytes);

    private static async Task<Run> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var env = environment.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        using var logs = new MemoryStream();
        var code = await OperatorHost.RunAsync(args, name => env.GetValueOrDefault(name), TextReader.Null, stdout, stderr, logs);
        return new Run(code, stdout.ToString(), stderr.ToString(), logs.Length);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--help=true")]
    public async Task Help_prints_every_flag_on_stdout_and_exits_0(string arg)
    {
        var run = await RunAsync([arg]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(HelpText.Render(), run.Stdout);
        Assert.Equal("", run.Stderr);
        foreach (var flag in Flags.All) Assert.Contains($"--{flag.Name}", run.Stdout);
    }

    [Fact]
    public async Task Help_wins_over_a_role_and_other_flags()
    {
        var run = await RunAsync(["--role", "controller", "--log-level", "debug", "--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(HelpText.Render(), run.Stdout);
    }

    [Fact]
    public async Task Help_from_the_environment()
    {
        var run = await RunAsync([], ("SECURITY_OPERATOR_HELP", "true"));
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(HelpText.UsageLine, run.Stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--version")]
    public async Task Help_and_version_work_whatever_the_environment_holds(string arg)
    {
        var run = await RunAsync([arg], ("SECURITY_OPERATOR_LOG_LEVEL", "chatty"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Version_prints_version_commit_target_and_linkage_and_exits_0()
    {
        var run = await RunAsync(["--version"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var lines = run.Stdout.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("", lines[4]);
        Assert.Equal($"security-operator {BuildInfo.Version}", lines[0]);
        Assert.Matches(new Regex("^[0-9]+\\.[0-9]+\\.[0-9]+"), BuildInfo.Version);
        Assert.Matches(new Regex("^commit: ([0-9a-f]{12}|unknown)$"), lines[1]);
        Assert.Matches(new Regex("^target: net[0-9.]+-linux-x64 \\(runtime \\.NET .+\\)$"), lines[2]);
        Assert.Matches(new Regex("^static: (yes|no|unknown) \\(.+\\)$"), lines[3]);
    }

    [Fact]
    public async Task Version_checks_the_running_file_rather_than_the_build()
    {
        // Under the test host the process is the (dynamically linked) dotnet host, and --version must say so.
        var run = await RunAsync(["--version"]);
        Assert.Contains($"static: {ExecutableLinkage.Inspect(Environment.ProcessPath)}\n", run.Stdout);
        Assert.Contains("static: no (dynamically linked:", run.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown flag --bogus")]
    [InlineData(new[] { "-v" }, "unknown flag '-v' (flags are written --name)")]
    [InlineData(new string[0], "--role is required: one of controller, webhook, node, audit")]
    [InlineData(new[] { "--role", "manager" }, "invalid value 'manager' for --role: must be one of controller, webhook, node, audit")]
    [InlineData(new[] { "--role" }, "flag --role needs a value")]
    [InlineData(new[] { "--role", "controller", "--metrics-address", "host:99999" },
        "invalid value 'host:99999' for --metrics-address: port must be a number from 0 to 65535")]
    [InlineData(new[] { "--role", "audit", "--kubeconfig", "none" },
        "flag --kubeconfig does not apply to --role audit (it is for controller, webhook, node)")]
    [InlineData(new[] { "--role", "webhook", "--role", "node" }, "flag --role given twice")]
    public async Task Usage_errors_print_one_line_and_the_hint_on_stderr_and_exit_2(string[] args, string error)
    {
        var run = await RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"security-operator: {error}\n{Hint}\n", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.Equal(0, run.LogBytes);
    }

    [Fact]
    public async Task A_bad_environment_value_is_a_usage_error_naming_the_variable()
    {
        var run = await RunAsync(["--role", "controller"], ("SECURITY_OPERATOR_SHUTDOWN_TIMEOUT", "forever"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("security-operator: invalid value 'forever' for SECURITY_OPERATOR_SHUTDOWN_TIMEOUT: "
                     + $"must be a duration such as 30s, 5m or 1h30m\n{Hint}\n", run.Stderr);
    }

    [Fact]
    public void Every_role_the_command_line_accepts_is_implemented()
    {
        Assert.Equal(Flags.AllRoles.Order(), RoleCatalog.Roles.Order());
        foreach (var role in Flags.AllRoles) Assert.Equal(role, RoleCatalog.Create(role).Name);
    }

    [Fact]
    public async Task The_role_from_the_environment_is_used()
    {
        // The node role without a node name (and not standalone) stops at once with exit code 2 and says why.
        var run = await RunAsync([], ("SECURITY_OPERATOR_ROLE", "node"));
        Assert.Equal(2, run.ExitCode);
        Assert.True(run.LogBytes > 0, "the reason is logged");
    }
}
