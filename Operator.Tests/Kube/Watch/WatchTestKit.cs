using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

internal static class WatchTestKit
{
    /// <summary>Backoff waits of a millisecond or two: the tests check which transitions happen, never how long they take.</summary>
    public static WatcherOptions FastOptions(int pageSize = 500) => new()
    {
        PageSize = pageSize,
        Backoff = new BackoffPolicy(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), 2, 0, TimeSpan.FromMinutes(2)),
        ResourceName = "tests",
    };

    /// <summary>A guard so a broken watcher fails the test instead of hanging it; not a timing assertion.</summary>
    public static CancellationTokenSource Guard() => new(TimeSpan.FromSeconds(60));

    /// <summary>Reads notifications until <paramref name="count"/> have arrived.</summary>
    public static async Task<List<WatchNotification<TestObject>>> TakeAsync(
        IAsyncEnumerator<WatchNotification<TestObject>> run, int count)
    {
        var taken = new List<WatchNotification<TestObject>>();
        while (taken.Count < count)
        {
            if (!await run.MoveNextAsync()) throw new InvalidOperationException("watcher ended");
            taken.Add(run.Current);
        }
        return taken;
    }
}
