using System.Runtime.InteropServices;

namespace SecurityOperator.Hosting;

/// <summary>Turns SIGTERM (the kubelet stopping the pod) and SIGINT (Ctrl-C) into a cancellation token. The signal is
/// consumed (the runtime does not kill the process), so the role can stop accepting work and finish what is in flight.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    public CancellationToken Stopping => _stopping.Token;

    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received ??= context.Signal;
        _stopping.Cancel();
    }

    /// <summary>For tests and for roles that end by themselves.</summary>
    public void Trigger() => _stopping.Cancel();

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stopping.Dispose();
    }
}
