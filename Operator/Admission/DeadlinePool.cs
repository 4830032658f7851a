using System.Collections.Concurrent;

namespace SecurityOperator.Admission;

/// <summary>Reusable CancellationTokenSources for per-request deadlines: a source that did not fire is reset and
/// reused (its timer is kept), so a deadline costs no allocation in the steady state.</summary>
internal sealed class DeadlinePool
{
    // Enough for every concurrent connection's request; beyond this, sources are simply dropped.
    private const int MaxPooled = 1024;

    private readonly ConcurrentQueue<CancellationTokenSource> _free = new();

    public CancellationTokenSource Rent(TimeSpan deadline)
    {
        if (!_free.TryDequeue(out var source)) source = new CancellationTokenSource();
        source.CancelAfter(deadline);
        return source;
    }

    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset() && _free.Count < MaxPooled) _free.Enqueue(source);
        else source.Dispose();
    }
}
