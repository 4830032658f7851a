namespace SecurityOperator.Compliance.Scans;

/// <summary>When to scan: once at start ("startup"), then every interval ("schedule"; a zero interval: never), and
/// whenever <c>requested()</c> says a request is pending ("request", checked again each time <see cref="Wake"/> is
/// called). A failed scan is retried after <see cref="ComplianceSettings.RetryAfterError"/>, not sooner, whatever is pending.</summary>
public sealed class ScanLoop(ComplianceSettings settings, Func<bool>? requested = null)
{
    public const string Startup = "startup", Schedule = "schedule", Request = "request";

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Something changed that may be a request: look again now.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers both.
        }
    }

    /// <summary>Runs <paramref name="scan"/> (true = succeeded) by the rules above until cancelled.</summary>
    public async Task RunAsync(Func<string, CancellationToken, Task<bool>> scan, CancellationToken cancellationToken)
    {
        var time = settings.TimeProvider;
        var scheduled = settings.Interval > TimeSpan.Zero;
        var next = scheduled ? time.GetUtcNow() : DateTimeOffset.MaxValue;
        var notBefore = DateTimeOffset.MinValue;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var trigger = now < notBefore ? null : requested?.Invoke() == true ? Request : now >= next ? (first ? Startup : Schedule) : null;
            if (trigger is null)
            {
                var until = now < notBefore ? notBefore : next;
                await WaitAsync(until == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : until - now, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var ok = await scan(trigger, cancellationToken).ConfigureAwait(false);
            now = time.GetUtcNow();
            if (!ok)
            {
                notBefore = now + settings.RetryAfterError;
                continue;
            }
            first = false;
            if (scheduled) next = now + settings.Interval;
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay != Timeout.InfiniteTimeSpan && delay <= TimeSpan.Zero) return;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _wake.WaitAsync(linked.Token);
        var timer = delay == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, linked.Token) : Task.Delay(delay, settings.TimeProvider, linked.Token);
        await Task.WhenAny(woken, timer).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(woken, timer).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loser of the two was cancelled (or the loop is stopping: the while condition sees it).
        }
    }
}
