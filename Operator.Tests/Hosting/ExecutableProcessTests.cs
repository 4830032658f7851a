using System.Diagnostics;
using System.Text.RegularExpressions;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting;

/// <summary>The built `security-operator` executable (the JIT apphost copied next to the tests) run as a real process:
/// real argv, real environment, real exit codes. Runs only what exists today: no role runs yet, so signals to a
/// running role are not exercised here.</summary>
public class ExecutableProcessTests
{
    private const string Hint = "run 'security-operator --help' for every flag and its default";
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "security-operator");

    private sealed record Exit(int Code, string Stdout, string Stderr);

    private static async Task<Exit> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: the test build copies Operator's apphost next to the tests");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test runner's own environment must not leak flags into the child.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SECURITY_OPERATOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"security-operator {string.Join(' ', args)} did not exit");
        }
        return new Exit(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Version_exits_0_and_reports_this_dynamic_apphost()
    {
        var exit = await RunAsync(["--version"]);

        Assert.Equal(0, exit.Code);
        Assert.Equal("", exit.Stderr);
        Assert.Matches(new Regex(
            "^security-operator [0-9]+\\.[0-9]+\\.[0-9]+\n" +
            "commit: ([0-9a-f]{12}|unknown)\n" +
            "target: net9\\.0-linux-x64 \\(runtime \\.NET [^)]+\\)\n" +
            "static: no \\(dynamically linked: security-operator needs an ELF interpreter\\)\n$"), exit.Stdout);
    }

    [Fact]
    public async Task Help_exits_0_with_every_flag()
    {
        var exit = await RunAsync(["--help"]);
        Assert.Equal(0, exit.Code);
        Assert.Equal(HelpText.Render(), exit.Stdout);
        Assert.Equal("", exit.Stderr);
    }

    [Fact]
    public async Task No_arguments_exit_2_asking_for_the_role()
    {
        var exit = await RunAsync([]);
        Assert.Equal(2, exit.Code);
        Assert.Equal($"security-operator: --role is required: one of controller, webhook, node, audit\n{Hint}\n", exit.Stderr);
        Assert.Equal("", exit.Stdout);
    }

    [Fact]
    public async Task An_unknown_flag_exits_2_naming_it()
    {
        var exit = await RunAsync(["--role", "controller", "--metrics-addr", ":8080"]);
        Assert.Equal(2, exit.Code);
        Assert.Equal($"security-operator: unknown flag --metrics-addr\n{Hint}\n", exit.Stderr);
    }

    [Fact]
    public async Task The_process_environment_is_read_and_a_bad_value_names_the_variable()
    {
        var exit = await RunAsync(["--role", "controller"], ("SECURITY_OPERATOR_LOG_LEVEL", "chatty"));
        Assert.Equal(2, exit.Code);
        Assert.Equal("security-operator: invalid value 'chatty' for SECURITY_OPERATOR_LOG_LEVEL: "
                     + $"must be one of debug, info, warn, error\n{Hint}\n", exit.Stderr);
    }

    [Fact]
    public async Task The_role_from_the_process_environment_is_used()
    {
        // The node role without a node name (and not standalone) stops at once with exit code 2 and says why.
        var exit = await RunAsync([], ("SECURITY_OPERATOR_ROLE", "node"));
        Assert.Equal(2, exit.Code);
        Assert.Contains("--node-name is required", exit.Stdout);
    }

    [Fact]
    public async Task Audit_of_an_empty_stdin_finds_nothing_and_exits_0()
    {
        var exit = await RunAsync(["--role", "audit", "-"]);
        Assert.Equal(0, exit.Code);
        Assert.Contains("0 objects scanned", exit.Stdout);
    }
}
