using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Hosting;

/// <summary>Real SIGTERM/SIGINT sent to the test process itself: the signal becomes a cancellation and is consumed, so
/// the process lives on to finish its work. (Were it not consumed, the test run would end here.)</summary>
[Collection(SignalCollection.Name)]
public class ShutdownSignalTests
{
    private const int SigInt = 2, SigTerm = 15;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static void Send(int signal) => Assert.Equal(0, kill(Environment.ProcessId, signal));

    private static async Task StoppingFires(ShutdownSignal signal)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = signal.Stopping.Register(() => stopped.TrySetResult());
        Assert.Same(stopped.Task, await Task.WhenAny(stopped.Task, Task.Delay(Generous)));
    }

    [Fact]
    public void A_new_signal_is_not_stopping()
    {
        using var signal = new ShutdownSignal();
        Assert.False(signal.Stopping.IsCancellationRequested);
        Assert.Null(signal.Received);
    }

    [Fact]
    public void Trigger_stops_without_naming_a_signal()
    {
        using var signal = new ShutdownSignal();
        signal.Trigger();
        signal.Trigger();
        Assert.True(signal.Stopping.IsCancellationRequested);
        Assert.Null(signal.Received);
    }

    [Fact]
    public async Task Sigterm_cancels_stopping_and_the_process_lives_on()
    {
        using var signal = new ShutdownSignal();
        Send(SigTerm);
        await StoppingFires(signal);
        Assert.Equal(PosixSignal.SIGTERM, signal.Received);
    }

    [Fact]
    public async Task Sigint_cancels_stopping_and_the_process_lives_on()
    {
        using var signal = new ShutdownSignal();
        Send(SigInt);
        await StoppingFires(signal);
        Assert.Equal(PosixSignal.SIGINT, signal.Received);
    }

    [Fact]
    public async Task The_first_signal_is_the_one_remembered()
    {
        using var signal = new ShutdownSignal();
        Send(SigInt);
        await StoppingFires(signal);
        // A second signal must not end the process either; watch for it through a second registration made before
        // it is sent (signals are delivered asynchronously).
        using var second = new ShutdownSignal();
        Send(SigTerm);
        await StoppingFires(second);
        Assert.Equal(PosixSignal.SIGINT, signal.Received);
        Assert.Equal(PosixSignal.SIGTERM, second.Received);
    }

    [Fact]
    public async Task The_health_endpoints_keep_serving_after_sigterm_so_readiness_can_report_the_shutdown()
    {
        var health = new HealthState();
        using var signal = new ShutdownSignal();
        await using var server = await OperationalServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new MetricsRegistry(),
            health, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.Addresses.Single()) };

        Send(SigTerm);
        await StoppingFires(signal);
        health.MarkShuttingDown(); // what OperatorHost.RunRoleAsync does on the signal

        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("[-] shutdown: in progress\n", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
    }
}
