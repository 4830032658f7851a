using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>Passes LIST and WATCH through to the real lister/watcher, except that a test can hold new requests back (a
/// network partition between the operator and the server) while it changes the server, then let them go.</summary>
internal sealed class GatedListerWatcher<T>(IListerWatcher<T> inner) : IListerWatcher<T> where T : class, IKubeObject
{
    private readonly object _gate = new();
    private TaskCompletionSource? _closed;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>From now on LIST and WATCH requests wait until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes when a request is being held back since the last <see cref="Close"/>.</summary>
    public Task RequestHeld
    {
        get { lock (_gate) return _held.Task; }
    }

    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_gate) (closed, _closed) = (_closed, null);
        closed?.TrySetResult();
    }

    public async Task<KubeList<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        await PassAsync(cancellationToken);
        return await inner.ListAsync(continueToken, limit, cancellationToken);
    }

    public async Task<Stream> WatchAsync(string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken)
    {
        await PassAsync(cancellationToken);
        return await inner.WatchAsync(resourceVersion, serverTimeout, cancellationToken);
    }

    public T Deserialize(ReadOnlySpan<byte> json) => inner.Deserialize(json);

    private Task PassAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed is null) return Task.CompletedTask;
            _held.TrySetResult();
            return _closed.Task.WaitAsync(cancellationToken);
        }
    }
}
