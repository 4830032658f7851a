using System.Net;
using System.Runtime.InteropServices;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Runtime;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Flows;
using SecurityOperator.Tests.Kube.Config;

namespace SecurityOperator.Tests.Runtime.Flows;

/// <summary>Connect events fed through the node's event pipeline (a plain directory shaped like a kubelet's cgroup
/// tree, no eBPF) into the flow aggregator: attribution to workloads, destinations, counts, bounds.</summary>
public sealed unsafe class FlowAggregatorTests : IDisposable
{
    private const string WebUid = "0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b", DbUid = "1c9b6a5f-0d3e-4f70-9b2c-4d6e8f0a2b3c";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);
    private readonly string _mount = Directory.CreateTempSubdirectory("secop-flows-").FullName;
    private readonly Dictionary<string, ulong> _ids = new();
    private readonly ManualTimeProvider _time = new(Start);
    private readonly FlowPodIndex _pods = new();

    public void Dispose() => Directory.Delete(_mount, recursive: true);

    private void Container(string podUid, ulong cgroupId)
    {
        var path = Path.Combine(_mount, $"kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{podUid.Replace('-', '_')}.slice/cri-containerd-{new string((char)('a' + (int)cgroupId), 64)}.scope");
        Directory.CreateDirectory(path);
        _ids[path] = cgroupId;
    }

    private NodeEventPipeline Pipeline(FlowAggregator flows) =>
        new(new CgroupDirectory(_mount, [Path.Combine(_mount, "kubepods.slice")], p => _ids[p]), null, new Detector(_ => { }, new BootClock(0)), false, flows: flows);

    private static void Connect(NodeEventPipeline pipeline, ulong cgroupId, string address, ushort port)
    {
        var ip = IPAddress.Parse(address);
        var e = new NodeEvent { Type = NodeEventType.Connect, CgroupId = cgroupId, Pid = 10, Tid = 10 };
        e.Connect.Family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ConnectPayload.InterNetwork : ConnectPayload.InterNetworkV6;
        e.Connect.Port = port;
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++) e.Connect.Address[i] = bytes[i];
        pipeline.OnRecord(MemoryMarshal.AsBytes(new ReadOnlySpan<NodeEvent>(ref e)));
    }

    [Fact]
    public void Connects_are_counted_per_source_workload_destination_and_port()
    {
        _pods.OnAdd(FlowPods.OfDeployment("shop", "web", WebUid, "10.244.1.5"));
        _pods.OnAdd(FlowPods.OfDeployment("shop", "db", DbUid, "10.244.1.9", hash: "5f6d7c8b9"));
        Container(WebUid, 1);
        var flows = new FlowAggregator(_pods, _time);
        var pipeline = Pipeline(flows);

        Connect(pipeline, 1, "10.244.1.9", 5432);
        _time.Advance(TimeSpan.FromSeconds(30));
        Connect(pipeline, 1, "10.244.1.9", 5432);
        Connect(pipeline, 1, "203.0.113.7", 443);
        Connect(pipeline, 1, "2001:db8::7", 443);
        Connect(pipeline, 1, "10.96.0.10", 0);      // port 0: not a connection anywhere
        Connect(pipeline, 99, "203.0.113.7", 443);  // not a container cgroup: a host event, dropped

        var snapshot = flows.Snapshot("shop")!;
        Assert.Equal(0, snapshot.Dropped);
        Assert.Equal(Start, snapshot.Since);
        Assert.Equal(3, snapshot.Flows.Count);
        var db = Assert.Single(snapshot.Flows, f => f.Destination.Workload is not null);
        Assert.Equal(("shop", "Deployment", "web"), (db.Source.Namespace, db.Source.Kind, db.Source.Name));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, db.Source.Labels);   // pod-template-hash left out
        Assert.Equal(("shop", "Deployment", "db"), (db.Destination.Workload!.Namespace, db.Destination.Workload.Kind, db.Destination.Workload.Name));
        Assert.Equal((5432, "TCP", 2L, Start.AddSeconds(30)), (db.Port, db.Protocol, db.Count, db.LastSeen!.Value));
        Assert.Equal(["2001:db8::7/128", "203.0.113.7/32"], snapshot.Flows.Where(f => f.Destination.Cidr is not null).Select(f => f.Destination.Cidr!).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Flows.Where(f => f.Destination.Cidr is not null), f => Assert.Equal((1L, 443), (f.Count, f.Port)));
        Assert.Null(flows.Snapshot("other"));
    }

    [Fact]
    public void Two_pods_of_one_workload_share_their_flows()
    {
        _pods.OnAdd(FlowPods.OfDeployment("shop", "web", WebUid, "10.244.1.5"));
        _pods.OnAdd(FlowPods.OfDeployment("shop", "web", DbUid, "10.244.1.6"));
        Container(WebUid, 1);
        Container(DbUid, 2);
        var flows = new FlowAggregator(_pods, _time);
        var pipeline = Pipeline(flows);

        Connect(pipeline, 1, "203.0.113.7", 443);
        Connect(pipeline, 2, "203.0.113.7", 443);

        var flow = Assert.Single(flows.Snapshot("shop")!.Flows);
        Assert.Equal(2, flow.Count);
    }

    [Fact]
    public void A_full_namespace_drops_its_least_recently_seen_flow_and_counts_it()
    {
        _pods.OnAdd(FlowPods.OfDeployment("shop", "web", WebUid, "10.244.1.5"));
        Container(WebUid, 1);
        var flows = new FlowAggregator(_pods, _time, maxFlowsPerNamespace: 3);
        var pipeline = Pipeline(flows);

        foreach (var last in new[] { 1, 2, 3 })
        {
            Connect(pipeline, 1, $"203.0.113.{last}", 443);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        Connect(pipeline, 1, "203.0.113.1", 443);   // seen again: .2 is now the least recently seen
        _time.Advance(TimeSpan.FromSeconds(1));
        Connect(pipeline, 1, "203.0.113.4", 443);

        var snapshot = flows.Snapshot("shop")!;
        Assert.Equal(1, snapshot.Dropped);
        Assert.Equal(["203.0.113.1/32", "203.0.113.3/32", "203.0.113.4/32"], snapshot.Flows.Select(f => f.Destination.Cidr!).Order(StringComparer.Ordinal));
        Assert.Equal(2, snapshot.Flows.Single(f => f.Destination.Cidr == "203.0.113.1/32").Count);
    }

    [Fact]
    public void Connects_of_unknown_or_host_network_pods_are_counted_as_unattributed_only()
    {
        _pods.OnAdd(FlowPods.OfDeployment("kube-system", "proxy", WebUid, "192.168.0.4", hostNetwork: true));
        Container(WebUid, 1);
        Container(DbUid, 2);   // the informer has not delivered this pod
        var flows = new FlowAggregator(_pods, _time);
        var pipeline = Pipeline(flows);

        Connect(pipeline, 1, "203.0.113.7", 443);
        Connect(pipeline, 2, "203.0.113.7", 443);

        Assert.Equal(2, flows.Unattributed);
        Assert.Empty(flows.Versions());
    }

    [Fact]
    public void A_deleted_pod_stops_being_a_source_and_its_address_a_local_destination()
    {
        var web = FlowPods.OfDeployment("shop", "web", WebUid, "10.244.1.5");
        var db = FlowPods.OfDeployment("shop", "db", DbUid, "10.244.1.9");
        _pods.OnAdd(web);
        _pods.OnAdd(db);
        Container(WebUid, 1);
        var flows = new FlowAggregator(_pods, _time);
        var pipeline = Pipeline(flows);
        Connect(pipeline, 1, "10.244.1.9", 5432);
        Assert.NotNull(Assert.Single(flows.Snapshot("shop")!.Flows).Destination.Workload);

        _pods.OnDelete(db);
        Assert.Equal("10.244.1.9/32", Assert.Single(flows.Snapshot("shop")!.Flows).Destination.Cidr);   // the controller resolves it, if it still can
        _pods.OnDelete(web);
        Connect(pipeline, 1, "10.244.1.9", 5432);
        Assert.Equal(1, flows.Unattributed);
    }

    [Fact]
    public void A_bound_that_is_not_positive_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FlowAggregator(_pods, _time, 0));
        Assert.Contains("positive", e.Message);
        Assert.Equal(NetworkFlowReport.MaxFlows, new FlowAggregator(_pods, _time).MaxFlowsPerNamespace);
    }
}
