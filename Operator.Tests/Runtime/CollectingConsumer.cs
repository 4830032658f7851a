using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime;

/// <summary>Keeps a copy of every event record, for tests to wait on.</summary>
public sealed class CollectingConsumer : IRingBufferConsumer
{
    private readonly List<NodeEvent> _events = [];

    public void OnRecord(ReadOnlySpan<byte> record)
    {
        var copy = MemoryMarshal.Read<NodeEvent>(record);
        lock (_events) _events.Add(copy);
    }

    public List<NodeEvent> Snapshot()
    {
        lock (_events) return [.. _events];
    }

    /// <summary>Waits (bounded, 20 s: the machine is shared and slow) until an event matches; null if none did.</summary>
    public async Task<NodeEvent?> WaitFor(Func<NodeEvent, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            foreach (var e in Snapshot())
                if (match(e)) return e;
            await Task.Delay(100);
        }
        return null;
    }
}
