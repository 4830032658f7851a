using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Logging;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;

namespace SecurityOperator.Hosting;

/// <summary>The process's life: parse the command line, answer --help/--version, set up logging, metrics and health,
/// run the role, and on SIGTERM/SIGINT give in-flight work until --shutdown-timeout before exiting.</summary>
public static class OperatorHost
{
    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, TextReader stdin, TextWriter stdout,
        TextWriter stderr, Stream logOutput)
    {
        if (Subcommands.Find(args) is { } subcommand)
            return await subcommand(args[1..], environment, stdout, stderr, CancellationToken.None).ConfigureAwait(false);

        OperatorOptions options;
        try
        {
            options = CommandLineParser.Parse(args, environment);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"security-operator: {e.Message}\n{HelpText.Hint}").ConfigureAwait(false);
            return UsageException.ExitCode;
        }

        if (options.GetBool(Flags.Help))
        {
            await stdout.WriteAsync(HelpText.Render()).ConfigureAwait(false);
            return 0;
        }
        if (options.GetBool(Flags.Version))
        {
            await stdout.WriteAsync(BuildInfo.Describe()).ConfigureAwait(false);
            return 0;
        }
        if (options.GetBool(Flags.Sbom)) return await Supply.EmbeddedSbom.WriteAsync(stdout, stderr).ConfigureAwait(false);

        var role = RoleCatalog.Create(options.Role);

        using var logs = new JsonLineLoggerProvider(options.Role, LogLevels.Parse(options.GetString(Flags.LogLevel)!), logOutput);
        using var loggerFactory = new LoggerFactory([logs]);
        var log = loggerFactory.CreateLogger("host");
        var metrics = MetricsRegistry.Default;
        var health = new HealthState();
        var documents = new OperationalDocuments();
        using var signal = new ShutdownSignal();

        OperationalServer? operational = null;
        using var trimming = new CancellationTokenSource();
        var trimmer = Task.CompletedTask;
        try
        {
            if (options.Role != Flags.Audit)
            {
                trimmer = NativeHeapTrimmer.RunAsync(NativeHeapTrimmer.Interval, trimming.Token);
                operational = await OperationalServer.StartAsync(options.GetListenAddress(Flags.MetricsAddress), metrics, health,
                    loggerFactory, signal.Stopping, documents).ConfigureAwait(false);
                log.LogInformation("serving metrics and health on {Addresses}", string.Join(",", operational.Addresses));
            }
            log.LogDebug("starting role {Role} version {Version} commit {Commit}", options.Role, BuildInfo.Version, BuildInfo.Commit);
            return await RunRoleAsync(role, new RoleContext(options, loggerFactory, metrics, health, stdin, stdout, stderr) { Documents = documents },
                signal, options.GetDuration(Flags.ShutdownTimeout), log).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signal.Stopping.IsCancellationRequested)
        {
            log.LogInformation("stopped before the role started");
            return 0;
        }
        catch (Exception e)
        {
            // Whatever a role throws ends as one JSON error line and exit code 1, never as a bare stack trace.
            log.LogError(e, "role {Role} failed: {Reason}", options.Role, e.Message);
            return 1;
        }
        finally
        {
            await trimming.CancelAsync().ConfigureAwait(false);
            await trimmer.ConfigureAwait(false);
            if (operational is not null) await operational.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>Runs the role until it returns; once a stop signal arrives, waits at most <paramref name="deadline"/>.</summary>
    internal static async Task<int> RunRoleAsync(IRole role, RoleContext context, ShutdownSignal signal, TimeSpan deadline, ILogger log)
    {
        var running = role.RunAsync(context, signal.Stopping);
        var stopRequested = Task.Delay(Timeout.Infinite, signal.Stopping).ContinueWith(static _ => { }, TaskScheduler.Default);
        // A role that ends by itself returns its code at once. One that ends because of the signal (it may finish before
        // the signal's own continuation runs) goes through the stop path below, so the stop is marked and logged.
        if (await Task.WhenAny(running, stopRequested).ConfigureAwait(false) == running && !signal.Stopping.IsCancellationRequested)
            return await running.ConfigureAwait(false);

        context.Health.MarkShuttingDown();
        log.LogInformation("received {Signal}: finishing in-flight work within {Deadline}", signal.Received?.ToString() ?? "stop", deadline);
        // Task.Delay takes at most ~49.7 days; a longer deadline is as good as none.
        var wait = deadline > MaxDelay ? Timeout.InfiniteTimeSpan : deadline;
        if (await Task.WhenAny(running, Task.Delay(wait)).ConfigureAwait(false) == running)
        {
            var code = await running.ConfigureAwait(false);
            log.LogInformation("stopped cleanly");
            return code;
        }
        log.LogError("in-flight work did not finish within {Deadline}; exiting anyway", deadline);
        return 1;
    }
}
