using System.Text.Json.Nodes;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>Leader election over a Lease (coord-01) and recording an events.k8s.io/v1 Event (events-01): the kinds
/// with MicroTime fields, where a wrong wire format is a 400 from the real server.</summary>
public sealed class ClientLeaseAndEventIntegrationTests
{
    private static readonly KubeResource Leases = KubeResource.Leases;
    private const string LeaseName = "secop-operator-leader";

    // A tick-precise time (7 fractional digits in .NET): the client must send exactly 6 (coord-01 REQUEST 7 is the 400 otherwise).
    private static readonly DateTimeOffset AcquiredAt = new DateTimeOffset(2026, 11, 22, 11, 32, 13, TimeSpan.Zero).AddTicks(6_215_197);

    private static Lease NewLease(string holder, DateTimeOffset at, int transitions = 0) => new()
    {
        Metadata = new ObjectMeta { Name = LeaseName, Namespace = "secops" },
        Spec = new LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15, AcquireTime = at, RenewTime = at, LeaseTransitions = transitions },
    };

    [Fact]
    public async Task Two_candidates_elect_one_leader_renew_and_a_stale_takeover_conflicts()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var a = cluster.Client;
        var b = cluster.ClientWithToken(cluster.Api.BearerToken); // a second process with the same credentials

        // coord-01 REQUEST 1/2: A creates; B's concurrent create is 409 AlreadyExists.
        var held = await a.CreateAsync(Leases, "secops", NewLease("candidate-a", AcquiredAt), KubeJsonContext.Default.Lease);
        var lost = await Assert.ThrowsAsync<KubeAlreadyExistsException>(() =>
            b.CreateAsync(Leases, "secops", NewLease("candidate-b", AcquiredAt), KubeJsonContext.Default.Lease));
        Assert.Equal($"leases.coordination.k8s.io \"{LeaseName}\" already exists", lost.Status!.Message);
        var seenByB = await b.GetAsync(Leases, "secops", LeaseName, KubeJsonContext.Default.Lease);

        // MicroTime on the wire: exactly six digits, truncated, and read back to the microsecond.
        var raw = await a.RawAsync(HttpMethod.Get, Leases.ObjectPath("secops", LeaseName));
        var wire = JsonNode.Parse(raw.Body)!["spec"]!;
        Assert.Equal("2026-11-22T11:32:13.621519Z", wire["acquireTime"]!.GetValue<string>());
        Assert.Equal(AcquiredAt.AddTicks(-7), held.Spec!.AcquireTime);

        // coord-01 REQUEST 3: A renews with the resourceVersion of its create.
        held.Spec.RenewTime = AcquiredAt.AddSeconds(10);
        var renewed = await a.ReplaceAsync(Leases, "secops", held, KubeJsonContext.Default.Lease);
        Assert.NotEqual(held.Metadata.ResourceVersion, renewed.Metadata.ResourceVersion);
        Assert.Equal(AcquiredAt.AddSeconds(10).AddTicks(-7), renewed.Spec!.RenewTime);

        // coord-01 REQUEST 4: B takes over from what it read before the renewal: 409 Conflict, the recorded message.
        seenByB.Spec!.HolderIdentity = "candidate-b";
        seenByB.Spec.LeaseTransitions = 1;
        var stale = await Assert.ThrowsAsync<KubeConflictException>(() => b.ReplaceAsync(Leases, "secops", seenByB, KubeJsonContext.Default.Lease));
        Assert.Equal($"Operation cannot be fulfilled on leases.coordination.k8s.io \"{LeaseName}\": the object has been modified; please apply your changes to the latest version and try again",
            stale.Status!.Message);

        // coord-01 REQUEST 5/6: B re-reads and takes over with the fresh resourceVersion.
        var fresh = await b.GetAsync(Leases, "secops", LeaseName, KubeJsonContext.Default.Lease);
        Assert.Equal("candidate-a", fresh.Spec!.HolderIdentity);
        fresh.Spec.HolderIdentity = "candidate-b";
        fresh.Spec.LeaseTransitions = 1;
        fresh.Spec.AcquireTime = fresh.Spec.RenewTime = AcquiredAt.AddSeconds(30);
        var taken = await b.ReplaceAsync(Leases, "secops", fresh, KubeJsonContext.Default.Lease);
        Assert.Equal(("candidate-b", 1), (taken.Spec!.HolderIdentity, taken.Spec.LeaseTransitions));

        // coord-01 REQUEST 9: releasing by DELETE answers a Status.
        var released = await b.DeleteAsync(Leases, "secops", LeaseName, KubeJsonContext.Default.Lease);
        Assert.True(released.Status!.IsSuccess);
        Assert.Null(released.Object);
    }

    [Fact]
    public async Task Lease_with_zero_duration_is_Invalid_naming_the_field()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var lease = NewLease("candidate-a", AcquiredAt);
        lease.Spec!.LeaseDurationSeconds = 0;

        // coord-01 REQUEST 8.
        var invalid = await Assert.ThrowsAsync<KubeInvalidException>(() => cluster.Client.CreateAsync(Leases, "secops", lease, KubeJsonContext.Default.Lease));
        var cause = Assert.Single(invalid.Causes);
        Assert.Equal(("spec.leaseDurationSeconds", "Invalid value: 0: must be greater than 0"), (cause.Field, cause.Message));
    }

    [Fact]
    public async Task Event_regarding_a_pod_is_created_with_its_MicroTime_and_a_dotted_generateName_is_rejected()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ApiServer.ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        var client = cluster.Client;
        var pod = await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);
        var at = new DateTimeOffset(2026, 11, 22, 11, 32, 32, TimeSpan.Zero).AddTicks(4_224_270);
        Event NewEvent(ObjectMeta meta) => new()
        {
            Metadata = meta,
            EventTime = at,
            ReportingController = "security.io/secop-operator",
            ReportingInstance = "secop-operator-7d9f-abcde",
            Action = "Evaluate",
            Reason = "PolicyViolation",
            Type = "Warning",
            Note = "Pod web-0 violates SecurityPolicy no-privileged (rule deny-privileged)",
            Regarding = new ObjectReference
            {
                ApiVersion = "v1", Kind = "Pod", Namespace = "secops", Name = "web-0",
                Uid = pod.Metadata.Uid, ResourceVersion = pod.Metadata.ResourceVersion,
            },
        };

        // events-01 REQUEST 1: the client-go style name "<pod>.<hex>" is accepted and everything comes back.
        var created = await client.CreateAsync(KubeResource.Events, "secops",
            NewEvent(new ObjectMeta { Name = "web-0.18ea5ab914a5a487", Namespace = "secops" }), KubeJsonContext.Default.Event);
        Assert.Equal(at, created.EventTime);
        Assert.Equal((pod.Metadata.Uid, "Warning", "PolicyViolation"), (created.Regarding!.Uid, created.Type, created.Reason));
        var listed = await client.ListAsync(KubeResource.Events, "secops", KubeJsonContext.Default.KubeListEvent);
        Assert.Equal("web-0.18ea5ab914a5a487", Assert.Single(listed.Items).Metadata.Name);

        // events-01 REQUEST 2: generateName "web-0." is rejected by events.k8s.io/v1 validation.
        var invalid = await Assert.ThrowsAsync<KubeInvalidException>(() => client.CreateAsync(KubeResource.Events, "secops",
            NewEvent(new ObjectMeta { GenerateName = "web-0.", Namespace = "secops" }), KubeJsonContext.Default.Event));
        Assert.Equal("metadata.generateName", Assert.Single(invalid.Causes).Field);
    }
}
