using SecurityOperator.Hosting;

namespace SecurityOperator.Tests.Hosting;

public class HealthStateTests
{
    [Fact]
    public void A_new_state_is_live_and_ready()
    {
        var health = new HealthState();
        Assert.Equal((true, "ok\n"), health.Live());
        Assert.Equal((true, "ok\n"), health.Ready());
    }

    [Fact]
    public void Broken_parts_fail_liveness_sorted_by_name_and_the_last_reason_wins()
    {
        var health = new HealthState();
        health.ReportBroken("watch/pods", "first");
        health.ReportBroken("queue", "worker crashed");
        health.ReportBroken("watch/pods", "relist failed 5 times");
        Assert.Equal((false, "[-] queue: worker crashed\n[-] watch/pods: relist failed 5 times\n"), health.Live());
    }

    [Fact]
    public void Broken_parts_do_not_touch_readiness()
    {
        var health = new HealthState();
        health.ReportBroken("queue", "x");
        Assert.True(health.Ready().Ok);
    }

    [Fact]
    public void Readiness_lists_every_check_and_fails_if_one_fails()
    {
        var health = new HealthState();
        var synced = false;
        health.AddReadinessCheck("informers-synced", () => synced);
        health.AddReadinessCheck("certificate-loaded", () => true);

        Assert.Equal((false, "[-] informers-synced\n[+] certificate-loaded\nnot ready\n"), health.Ready());
        synced = true;
        Assert.Equal((true, "[+] informers-synced\n[+] certificate-loaded\nok\n"), health.Ready());
    }

    [Fact]
    public void A_check_that_throws_counts_as_failed()
    {
        var health = new HealthState();
        health.AddReadinessCheck("api-server", () => throw new HttpRequestException("connection refused"));
        Assert.Equal((false, "[-] api-server\nnot ready\n"), health.Ready());
    }

    [Fact]
    public void Shutting_down_is_not_ready_even_when_every_check_passes_but_stays_live()
    {
        var health = new HealthState();
        health.AddReadinessCheck("informers-synced", () => true);
        health.MarkShuttingDown();
        Assert.Equal((false, "[-] shutdown: in progress\n[+] informers-synced\nnot ready\n"), health.Ready());
        Assert.True(health.Live().Ok);
    }

    [Fact]
    public void Checks_may_be_added_while_probes_run()
    {
        var health = new HealthState();
        Parallel.For(0, 200, i =>
        {
            if (i % 2 == 0) health.AddReadinessCheck($"check-{i}", () => true);
            else Assert.True(health.Ready().Ok);
        });
        Assert.Equal(101, health.Ready().Report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
