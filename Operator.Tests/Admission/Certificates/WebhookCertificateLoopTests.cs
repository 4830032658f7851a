using SecurityOperator.Admission.Certificates;
using SecurityOperator.Tests.Kube.Integration;
using ManualClock = SecurityOperator.Tests.Kube.Watch.ManualTimeProvider;

namespace SecurityOperator.Tests.Admission.Certificates;

/// <summary>RunAsync on a clock that moves only when the test says: it reconciles at start, waits for the next due
/// step on the clock's timers, retries after a failure, and returns when stopped.</summary>
public class WebhookCertificateLoopTests
{
    [Fact]
    public async Task The_loop_bootstraps_retries_after_an_error_renews_when_due_and_stops_cleanly()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock();
        var options = new WebhookCertificateOptions { ResyncInterval = TimeSpan.FromDays(30), RetryInterval = TimeSpan.FromSeconds(10) };
        var manager = new WebhookCertificateManager(cluster.Cluster.Client, options, clock);
        cluster.Api.FailNext("GET", "/secrets/", 500, "InternalError", times: 1);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        // The first pass failed; the loop waits RetryInterval on the clock, then bootstraps.
        await Eventually.WaitUntilAsync(() => clock.ActiveTimers == 1, "the retry wait");
        Assert.Null(cluster.Secret);
        clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.WaitUntilAsync(() => cluster.Secret is not null && clock.ActiveTimers == 1, "bootstrap, then a wait");
        var first = cluster.SecretText("tls.crt");

        // Next due: the serving renewal at 60 days, capped by the 30-day resync.
        clock.Advance(TimeSpan.FromDays(30));
        await Eventually.WaitUntilAsync(() => clock.ActiveTimers == 1, "the resync pass");
        Assert.Equal(first, cluster.SecretText("tls.crt"));
        clock.Advance(TimeSpan.FromDays(30));
        await Eventually.WaitUntilAsync(() => cluster.SecretText("tls.crt") != first && clock.ActiveTimers == 1, "the renewal at 60 days");
        Assert.True(WebhookCertificateCluster.Trusts(cluster.Bundle(), cluster.SecretText("tls.crt"), clock.GetUtcNow()));

        stop.Cancel();
        await loop.WithinLimit("RunAsync to return after cancellation");
    }
}
