using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Logging;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;

namespace SecurityOperator.Tests.Hosting;

/// <summary>OperatorHost.RunRoleAsync with fake roles: how a stop signal, the shutdown deadline and a role's own exit
/// code decide the process exit code.</summary>
[Collection(SignalCollection.Name)]
public sealed class RunRoleTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly ShutdownSignal _signal = new();
    private readonly HealthState _health = new();
    private readonly MemoryStream _logs = new();
    private readonly JsonLineLoggerProvider _logProvider;
    private readonly RoleContext _context;

    public RunRoleTests()
    {
        _logProvider = new JsonLineLoggerProvider("controller", LogLevel.Debug, _logs);
        _context = new RoleContext(CommandLineParser.Parse(["--role", "controller"], _ => null), NullLoggerFactory.Instance,
            new MetricsRegistry(), _health, TextReader.Null, TextWriter.Null, TextWriter.Null);
    }

    public void Dispose()
    {
        _signal.Dispose();
        _logProvider.Dispose();
    }

    private Task<int> Run(IRole role, TimeSpan deadline) =>
        OperatorHost.RunRoleAsync(role, _context, _signal, deadline, _logProvider.CreateLogger("host"));

    private string[] LoggedMessages()
    {
        _logProvider.Dispose();
        var text = Encoding.UTF8.GetString(_logs.ToArray());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()!).ToArray();
    }

    private static async Task<T> Within<T>(Task<T> task)
    {
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(Generous)));
        return await task;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "the condition never became true");
            await Task.Delay(10);
        }
    }

    /// <summary>Works until told to stop, then returns its exit code.</summary>
    private sealed class CooperativeRole(int exitCode) : IRole
    {
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool SawCancellation { get; private set; }
        public string Name => "cooperative";

        public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
        {
            Started.TrySetResult();
            try { await Task.Delay(Timeout.Infinite, stopping); }
            catch (OperationCanceledException) { SawCancellation = stopping.IsCancellationRequested; }
            return exitCode;
        }
    }

    /// <summary>Never looks at its token: in-flight work that does not finish.</summary>
    private sealed class StuckRole : IRole
    {
        public readonly TaskCompletionSource<int> Finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "stuck";
        public Task<int> RunAsync(RoleContext context, CancellationToken stopping) => Finish.Task;
    }

    /// <summary>Finishes by itself, e.g. the audit role after evaluating its files.</summary>
    private sealed class FinishingRole(int exitCode) : IRole
    {
        public string Name => "finishing";
        public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
        {
            await Task.Yield();
            return exitCode;
        }
    }

    [Fact]
    public async Task A_stop_signal_cancels_the_role_and_its_exit_code_is_returned()
    {
        var role = new CooperativeRole(0);
        var running = Run(role, Generous);
        await role.Started.Task;

        _signal.Trigger();

        Assert.Equal(0, await Within(running));
        Assert.True(role.SawCancellation);
        Assert.Contains("stopped cleanly", LoggedMessages());
    }

    [Fact]
    public async Task The_code_of_a_role_that_stops_on_the_signal_is_passed_through()
    {
        var role = new CooperativeRole(5);
        var running = Run(role, Generous);
        await role.Started.Task;
        _signal.Trigger();
        Assert.Equal(5, await Within(running));
    }

    [Fact]
    public async Task On_the_stop_signal_readiness_fails_so_traffic_drains_first()
    {
        var role = new StuckRole();
        var running = Run(role, Generous);
        Assert.True(_health.Ready().Ok);

        _signal.Trigger();
        // The host marks itself not ready before it waits for in-flight work; the role then finishes its work.
        await Eventually(() => !_health.Ready().Ok);
        Assert.False(running.IsCompleted);
        role.Finish.SetResult(0);

        Assert.Equal(0, await Within(running));
        Assert.Equal("[-] shutdown: in progress\nnot ready\n", _health.Ready().Report);
    }

    [Fact]
    public async Task A_role_that_ignores_the_stop_signal_gets_exit_code_1_after_the_deadline()
    {
        var role = new StuckRole();
        var running = Run(role, TimeSpan.FromMilliseconds(50));
        _signal.Trigger();

        Assert.Equal(1, await Within(running));
        Assert.False(_health.Ready().Ok);
        var messages = LoggedMessages();
        Assert.Contains("received stop: finishing in-flight work within 00:00:00.0500000", messages);
        Assert.Contains("in-flight work did not finish within 00:00:00.0500000; exiting anyway", messages);
        role.Finish.SetResult(0);
    }

    [Fact]
    public async Task A_zero_deadline_does_not_wait_for_a_stuck_role()
    {
        var role = new StuckRole();
        var running = Run(role, TimeSpan.Zero);
        _signal.Trigger();
        Assert.Equal(1, await Within(running));
        role.Finish.SetResult(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task A_role_finishing_by_itself_returns_its_code_and_stays_ready(int code)
    {
        Assert.Equal(code, await Within(Run(new FinishingRole(code), Generous)));
        Assert.True(_health.Ready().Ok);
        Assert.DoesNotContain("stopped cleanly", LoggedMessages());
    }

    [Fact]
    public async Task A_stop_before_the_role_starts_reaches_the_role_at_once()
    {
        _signal.Trigger();
        var role = new CooperativeRole(0);
        Assert.Equal(0, await Within(Run(role, Generous)));
        Assert.True(role.SawCancellation);
    }

    [Fact]
    public async Task A_failing_role_surfaces_its_exception_to_the_host()
    {
        var role = new StuckRole();
        var running = Run(role, Generous);
        role.Finish.SetException(new InvalidDataException("policy file is broken"));
        Assert.Equal("policy file is broken", (await Assert.ThrowsAsync<InvalidDataException>(() => Within(running))).Message);
    }

    [Fact]
    public async Task A_very_long_deadline_waits_for_the_role_instead_of_failing()
    {
        var role = new CooperativeRole(0);
        var running = Run(role, TimeSpan.FromHours(2000));
        await role.Started.Task;
        _signal.Trigger();
        Assert.Equal(0, await Within(running));
    }
}
