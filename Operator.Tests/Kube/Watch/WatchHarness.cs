using System.Threading.Channels;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>Runs a watcher against a <see cref="FakeListerWatcher"/> on a background pump (a fast consumer) so a test can
/// await "the next n notifications" and "the n-th watch request" without sleeping.</summary>
internal sealed class WatchHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = WatchTestKit.Guard();
    private readonly Channel<WatchNotification<TestObject>> _out = Channel.CreateUnbounded<WatchNotification<TestObject>>();
    private Task? _pump;

    public WatchHarness(WatcherOptions? options = null)
    {
        Watcher = new Watcher<TestObject>(Server, options ?? WatchTestKit.FastOptions(), Observer);
    }

    public FakeListerWatcher Server { get; } = new();
    public RecordingObserver Observer { get; } = new();
    public Watcher<TestObject> Watcher { get; }

    public WatchHarness Start()
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var n in Watcher.RunAsync(_cts.Token)) _out.Writer.TryWrite(n);
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested) { }
            finally { _out.Writer.TryComplete(); }
        });
        return this;
    }

    public async Task<List<WatchNotification<TestObject>>> NextAsync(int count)
    {
        var taken = new List<WatchNotification<TestObject>>();
        while (taken.Count < count) taken.Add(await _out.Reader.ReadAsync(_cts.Token));
        return taken;
    }

    /// <summary>True when no notification is waiting right now (used after the loop is known to be idle in a quiet watch).</summary>
    public bool NothingPending => !_out.Reader.TryPeek(out _);

    public Task<FakeListerWatcher.WatchRequest> WatchRequestAsync(int count) => Server.WaitForWatchRequestAsync(count, _cts.Token);

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        if (_pump is not null) await _pump;
        _cts.Dispose();
    }
}
