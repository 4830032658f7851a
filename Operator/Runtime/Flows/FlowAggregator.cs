using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Flows;

/// <summary>Counts the connects of this node's container processes per (source workload, destination address, port)
/// with the time last seen, at most <see cref="MaxFlowsPerNamespace"/> per source namespace: when a namespace is full
/// the least recently seen flow makes room and is counted as dropped. Called on the event thread (an existing flow is
/// counted without allocating); <see cref="Snapshot"/> is read by the publisher. The protocol is always TCP: the
/// connect event is taken at syscall entry and does not carry the socket type (a connected UDP socket looks the same).</summary>
public sealed class FlowAggregator(FlowPodIndex pods, TimeProvider time, int maxFlowsPerNamespace = NetworkFlowReport.MaxFlows)
{
    public const string Protocol = "TCP";

    private readonly object _lock = new();
    private readonly Dictionary<string, NamespaceFlows> _namespaces = new(StringComparer.Ordinal);
    private long _unattributed;

    public int MaxFlowsPerNamespace { get; } = maxFlowsPerNamespace > 0 ? maxFlowsPerNamespace
        : throw new ArgumentOutOfRangeException(nameof(maxFlowsPerNamespace), "the flow bound must be positive");

    /// <summary>Connects from pods the index does not know (not listed yet, or on the host network).</summary>
    public long Unattributed => Interlocked.Read(ref _unattributed);

    public void Observe(ContainerRef container, in ConnectPayload connect)
    {
        if (connect.Port == 0 || (connect.Family != ConnectPayload.InterNetwork && connect.Family != ConnectPayload.InterNetworkV6)) return;
        var source = pods.BySourceUid(container.PodUid);
        if (source is null)
        {
            Interlocked.Increment(ref _unattributed);
            return;
        }
        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in connect), 1)).Slice(8, 16);
        var key = new FlowKey(source, BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            connect.Family, connect.Port);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_namespaces.TryGetValue(source.Namespace, out var flows))
                _namespaces[source.Namespace] = flows = new NamespaceFlows(now);
            flows.Version++;
            if (flows.Entries.TryGetValue(key, out var entry))
            {
                entry.Count++;
                entry.LastSeen = now;
                return;
            }
            if (flows.Entries.Count >= MaxFlowsPerNamespace) flows.EvictLeastRecentlySeen();
            flows.Entries[key] = new FlowCounter { Count = 1, LastSeen = now };
        }
    }

    /// <summary>The change counter of each namespace (it moves on every connect counted).</summary>
    public IReadOnlyDictionary<string, long> Versions()
    {
        lock (_lock) return _namespaces.ToDictionary(n => n.Key, n => n.Value.Version, StringComparer.Ordinal);
    }

    /// <summary>One namespace's flows as report content, merged per workload name (two pods of one workload may
    /// briefly have separate entries) and sorted, with a destination that is a pod of this node named as its workload.</summary>
    public FlowSnapshot? Snapshot(string ns)
    {
        List<(FlowKey Key, long Count, DateTimeOffset LastSeen)> entries;
        long dropped, version;
        DateTimeOffset since;
        lock (_lock)
        {
            if (!_namespaces.TryGetValue(ns, out var flows)) return null;
            entries = flows.Entries.Select(e => (e.Key, e.Value.Count, e.Value.LastSeen)).ToList();
            (dropped, version, since) = (flows.Dropped, flows.Version, flows.Since);
        }
        var merged = new Dictionary<string, FlowRecord>(StringComparer.Ordinal);
        foreach (var (key, count, lastSeen) in entries)
        {
            var address = key.Address();
            var local = pods.ByAddress(address.ToString());
            var destination = local is not null
                ? new FlowDestination { Workload = local.ToWorkload() }
                : new FlowDestination { Cidr = $"{address}/{(key.Family == ConnectPayload.InterNetwork ? 32 : 128)}" };
            var id = $"{key.Source}|{(local is not null ? "w:" + local : destination.Cidr)}|{key.Port}";
            if (merged.TryGetValue(id, out var record))
            {
                record.Count += count;
                if (lastSeen > record.LastSeen) record.LastSeen = lastSeen;
                continue;
            }
            merged[id] = new FlowRecord
            {
                Source = key.Source.ToWorkload(), Destination = destination, Port = key.Port, Protocol = Protocol,
                Count = count, LastSeen = lastSeen,
            };
        }
        return new FlowSnapshot(version, since, dropped, [.. merged.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value)]);
    }

    private readonly record struct FlowKey(FlowSource Source, ulong High, ulong Low, ushort Family, ushort Port)
    {
        public IPAddress Address()
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
            return new IPAddress(Family == ConnectPayload.InterNetwork ? bytes[..4] : bytes);
        }
    }

    private sealed class FlowCounter
    {
        public long Count;
        public DateTimeOffset LastSeen;
    }

    private sealed class NamespaceFlows(DateTimeOffset since)
    {
        public readonly Dictionary<FlowKey, FlowCounter> Entries = [];
        public readonly DateTimeOffset Since = since;
        public long Version;
        public long Dropped;

        public void EvictLeastRecentlySeen()
        {
            var oldest = Entries.MinBy(e => e.Value.LastSeen).Key;
            Entries.Remove(oldest);
            Dropped++;
        }
    }
}

/// <summary>What a namespace's report says: the flows, since when they were counted, how many were dropped, and the
/// change counter it was taken at.</summary>
public sealed record FlowSnapshot(long Version, DateTimeOffset Since, long Dropped, IReadOnlyList<FlowRecord> Flows);
