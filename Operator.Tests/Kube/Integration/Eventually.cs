namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>Waits for a condition that must become true (a request the double must receive, a count that must be
/// reached). The limit is a generous guard so a broken component fails the test instead of hanging it; it is never a
/// timing assertion.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"still waiting after {Limit.TotalSeconds} s for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Awaits <paramref name="task"/> with the guard (or a larger one for bulk work).</summary>
    public static async Task WithinLimit(this Task task, string what, TimeSpan? limit = null)
    {
        var guard = limit ?? Limit;
        try { await task.WaitAsync(guard); }
        catch (TimeoutException) { throw new TimeoutException($"still waiting after {guard.TotalSeconds} s for: {what}"); }
    }
}
