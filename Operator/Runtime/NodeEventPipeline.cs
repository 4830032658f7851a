using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime;

/// <summary>What happens to each ring buffer record, on the reader thread: read in place, attributed (cgroup id →
/// container → pod), dropped when it is not from a container (unless host events are kept), and run through the
/// rules, the workload baselines and the flow counts. Nothing here allocates unless a rule fires, a baseline learns
/// or a new flow is seen.</summary>
public sealed class NodeEventPipeline(CgroupDirectory cgroups, PodDirectory? pods, Detector detector, bool keepHostEvents,
    Baseline.BaselineMonitor? baseline = null, Flows.FlowAggregator? flows = null) : IRingBufferConsumer
{
    private volatile SecurityOperator.Runtime.Policies.RuntimePolicyMatcher? _policyMatcher;

    /// <summary>Runtime rules of SecurityPolicies (null: none, as in standalone mode); set once the sensor's maps exist.</summary>
    public SecurityOperator.Runtime.Policies.RuntimePolicyMatcher? PolicyMatcher
    {
        get => _policyMatcher;
        set => _policyMatcher = value;
    }

    private readonly long[] _processed = new long[8];
    private long _hostEvents;
    private long _malformed;

    public long HostEvents => Interlocked.Read(ref _hostEvents);

    public long Malformed => Interlocked.Read(ref _malformed);

    public int KnownContainers => cgroups.Count;

    public long Processed(NodeEventType type) => (uint)type < _processed.Length ? Interlocked.Read(ref _processed[(int)type]) : 0;

    public unsafe void OnRecord(ReadOnlySpan<byte> record)
    {
        if (record.Length < sizeof(NodeEvent))
        {
            _malformed++;
            return;
        }
        ref readonly var e = ref MemoryMarshal.AsRef<NodeEvent>(record);
        if ((uint)e.Type < _processed.Length) _processed[(int)e.Type]++;
        var container = cgroups.Find(e.CgroupId);
        if (container is null)
        {
            _hostEvents++;
            if (!keepHostEvents) return;
            container = ContainerRef.Host;
        }
        var pod = container == ContainerRef.Host ? null : pods?.Find(container.ContainerId);
        if (flows is not null && e.Type == NodeEventType.Connect && container != ContainerRef.Host) flows.Observe(container, in e.Connect);
        detector.Evaluate(e, container, pod);
        _policyMatcher?.Evaluate(e, container, pod);
        baseline?.Observe(e, container, pod);
    }
}
