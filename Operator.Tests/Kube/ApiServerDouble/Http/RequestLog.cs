namespace SecurityOperator.Tests.Kube.ApiServer.Http;

/// <summary>A bounded log of received requests: the oldest entries are dropped past the capacity.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Queue<RecordedRequest> _entries = new();

    public void Add(RecordedRequest request)
    {
        lock (_entries)
        {
            _entries.Enqueue(request);
            while (_entries.Count > capacity) _entries.Dequeue();
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_entries) return [.. _entries];
    }

    public void Clear()
    {
        lock (_entries) _entries.Clear();
    }
}
