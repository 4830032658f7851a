using System.Text.Json.Nodes;
using SecurityOperator.Kube.LeaderElection;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;

namespace SecurityOperator.Tests.Kube.LeaderElection;

/// <summary>Two electors against the double. Durations are short so the tests are quick; every assertion waits for a
/// state (who leads, what the lease says), never for an amount of time.</summary>
public sealed class LeaderElectorTests
{
    private const string Ns = "security-operator";
    private const string LeaseName = "security-operator-controller";

    private static LeaderElectionOptions Options(string identity, TimeSpan? leaseDuration = null, bool release = true) => new()
    {
        LeaseNamespace = Ns,
        LeaseName = LeaseName,
        Identity = identity,
        LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(1),
        RenewDeadline = TimeSpan.FromMilliseconds(700),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        ReleaseOnCancel = release,
    };

    /// <summary>One candidate: its elector, whether its work is running, and how often it started leading.</summary>
    private sealed class Candidate
    {
        public required LeaderElector Elector { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public Task<LeaderElectionOutcome> Run { get; set; } = null!;
        public int Leading;
        public int TimesLed;
        public CancellationToken WorkToken;
    }

    private static Candidate Start(DoubleCluster cluster, LeaderElectionOptions options, Action? onLead = null)
    {
        var candidate = new Candidate { Elector = new LeaderElector(cluster.Client, options), Stop = new CancellationTokenSource() };
        candidate.Run = candidate.Elector.RunAsync(async token =>
        {
            candidate.WorkToken = token;
            Interlocked.Increment(ref candidate.TimesLed);
            Interlocked.Exchange(ref candidate.Leading, 1);
            onLead?.Invoke();
            try { await Task.Delay(Timeout.Infinite, token); }
            finally { Interlocked.Exchange(ref candidate.Leading, 0); }
        }, candidate.Stop.Token);
        return candidate;
    }

    private static JsonObject? LeaseSpec(DoubleCluster cluster) => cluster.Api.Get(ResourceCatalog.Leases, Ns, LeaseName)?.Object["spec"] as JsonObject;

    private static int LeasePuts(DoubleCluster cluster) =>
        cluster.Api.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith($"/leases/{LeaseName}", StringComparison.Ordinal));

    [Fact]
    public async Task Only_one_of_two_candidates_leads_and_the_other_takes_over_after_the_leader_stops_without_releasing()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace(Ns);
        var bothLeading = 0;
        Candidate? a = null, b = null;
        void Check() { if (a?.Leading == 1 && b?.Leading == 1) Interlocked.Increment(ref bothLeading); }
        a = Start(cluster, Options("a", release: false), Check);
        b = Start(cluster, Options("b", release: false), Check);
        await Eventually.WaitUntilAsync(() => a.Elector.IsLeader || b.Elector.IsLeader, "a leader");
        var (leader, follower) = a.Elector.IsLeader ? (a, b) : (b, a);
        // Many renewals later the follower has still not led.
        var puts = LeasePuts(cluster);
        await Eventually.WaitUntilAsync(() => LeasePuts(cluster) >= puts + 5, "five renewals by the leader");
        Assert.Equal(0, follower.TimesLed);
        Assert.False(follower.Elector.IsLeader);
        Assert.Equal(leader == a ? "a" : "b", LeaseSpec(cluster)!["holderIdentity"]!.GetValue<string>());

        await leader.Stop.CancelAsync();
        Assert.Equal(LeaderElectionOutcome.Stopped, await leader.Run.WaitAsync(Eventually.Limit));
        Assert.True(leader.WorkToken.IsCancellationRequested);
        // Not released: the lease still names the old leader until the follower sees it unchanged for LeaseDuration.
        Assert.Equal(leader == a ? "a" : "b", LeaseSpec(cluster)!["holderIdentity"]!.GetValue<string>());
        await Eventually.WaitUntilAsync(() => follower.Elector.IsLeader, "the follower to take over the expired lease");
        Assert.Equal(1, LeaseSpec(cluster)!["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(0, bothLeading);
        await follower.Stop.CancelAsync();
        await follower.Run.WaitAsync(Eventually.Limit);
    }

    [Fact]
    public async Task A_released_lease_is_taken_over_although_it_would_not_expire_for_an_hour()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace(Ns);
        var hour = TimeSpan.FromHours(1);
        var first = Start(cluster, Options("first", hour));
        await Eventually.WaitUntilAsync(() => first.Elector.IsLeader, "the first candidate to lead");
        var second = Start(cluster, Options("second", hour));
        await Eventually.WaitUntilAsync(() => second.Elector.ObservedLeader == "first", "the second candidate to see the first as leader");

        await first.Stop.CancelAsync();
        Assert.Equal(LeaderElectionOutcome.Stopped, await first.Run.WaitAsync(Eventually.Limit));
        await Eventually.WaitUntilAsync(() => second.Elector.IsLeader, "the second candidate to take the released lease");
        var spec = LeaseSpec(cluster)!;
        Assert.Equal("second", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(3600, spec["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(0, first.Leading);
        await second.Stop.CancelAsync();
        await second.Run.WaitAsync(Eventually.Limit);
        Assert.Equal("", LeaseSpec(cluster)!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_cancels_its_work_and_reports_the_loss()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace(Ns);
        var leader = Start(cluster, Options("only"));
        await Eventually.WaitUntilAsync(() => leader.Elector.IsLeader, "leadership");
        // Someone else writes the lease (an operator with a skewed view, or a split brain): renewals now fail.
        var lease = cluster.Api.Get(ResourceCatalog.Leases, Ns, LeaseName)!.Object.DeepClone().AsObject();
        lease["spec"]!["holderIdentity"] = "intruder";
        cluster.Api.Update(ResourceCatalog.Leases, lease);

        Assert.Equal(LeaderElectionOutcome.Lost, await leader.Run.WaitAsync(Eventually.Limit));
        Assert.True(leader.WorkToken.IsCancellationRequested);
        Assert.Equal(0, leader.Leading);
        Assert.False(leader.Elector.IsLeader);
        Assert.Equal("intruder", LeaseSpec(cluster)!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public void Options_follow_client_go_defaults_and_reject_inconsistent_timing()
    {
        var defaults = new LeaderElectionOptions { LeaseNamespace = Ns, LeaseName = LeaseName, Identity = "x" };
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)),
            (defaults.LeaseDuration, defaults.RenewDeadline, defaults.RetryPeriod));
        var error = Assert.Throws<ArgumentException>(() => defaults with { RenewDeadline = TimeSpan.FromSeconds(20) } is var o ? new LeaderElector(null!, o) : null);
        Assert.Contains("lease duration", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => defaults with { RetryPeriod = TimeSpan.FromSeconds(9) } is var p ? new LeaderElector(null!, p) : null);
        Assert.Contains("retry period", error.Message, StringComparison.Ordinal);
    }
}
