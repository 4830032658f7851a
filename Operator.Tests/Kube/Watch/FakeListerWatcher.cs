using System.Collections.Concurrent;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>An in-memory API server for one resource, shaped like the transcripts: LIST pages of a snapshot with opaque
/// continue tokens and one snapshot RV for every page (pods-03); WATCH answers taken from a script, in order (frames
/// then end/reset/hang, or an exception such as KubeApiException 410); once the script is used up, watches stay open
/// and quiet until the watcher lets go. Every request is recorded so tests can assert what the watcher asked for.</summary>
internal sealed class FakeListerWatcher : IListerWatcher<TestObject>
{
    private readonly object _gate = new();
    private List<TestObject> _objects = new();
    private string _resourceVersion = "1";
    private int _snapshot;
    private readonly Dictionary<int, (List<TestObject> Items, string Rv)> _snapshots = new();
    private readonly ConcurrentQueue<Exception> _listFailures = new();
    private readonly ConcurrentQueue<Func<Stream>> _watchScript = new();
    private readonly List<WatchRequest> _watchLog = new();
    private readonly List<(int Count, TaskCompletionSource<WatchRequest> Done)> _watchWaiters = new();

    public sealed record ListRequest(string? ContinueToken, int Limit);
    public sealed record WatchRequest(string ResourceVersion, TimeSpan Timeout);

    public ConcurrentQueue<ListRequest> ListRequests { get; } = new();
    public ConcurrentQueue<WatchRequest> WatchRequests { get; } = new();
    public ConcurrentQueue<ScriptedStream> OpenedStreams { get; } = new();

    /// <summary>Replaces the server's objects; the next LIST (from scratch) sees them at <paramref name="rv"/>.</summary>
    public void SetObjects(IEnumerable<TestObject> objects, string rv)
    {
        lock (_gate)
        {
            _objects = objects.ToList();
            _resourceVersion = rv;
        }
    }

    /// <summary>The next LIST call (first page or later) fails with <paramref name="error"/>.</summary>
    public void FailNextList(Exception error) => _listFailures.Enqueue(error);

    /// <summary>The next WATCH answers with these frames and then ends as told.</summary>
    public void EnqueueWatch(ScriptedStream.Ending ending, params string[] lines) =>
        EnqueueWatch(() => ScriptedStream.Lines(lines, ending));

    public void EnqueueWatch(Func<Stream> body) => _watchScript.Enqueue(body);

    /// <summary>The next WATCH request fails with <paramref name="error"/> (e.g. an HTTP 410 or a refused connection).</summary>
    public void EnqueueWatchFailure(Exception error) => _watchScript.Enqueue(() => throw error);

    /// <summary>Waits until the watcher has opened its <paramref name="count"/>-th watch; returns that request.</summary>
    public Task<WatchRequest> WaitForWatchRequestAsync(int count, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_watchLog.Count >= count) return Task.FromResult(_watchLog[count - 1]);
            var done = new TaskCompletionSource<WatchRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchWaiters.Add((count, done));
            return done.Task.WaitAsync(ct);
        }
    }

    public Task<KubeList<TestObject>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        ListRequests.Enqueue(new ListRequest(continueToken, limit));
        if (_listFailures.TryDequeue(out var failure)) return Task.FromException<KubeList<TestObject>>(failure);
        lock (_gate)
        {
            // A first page freezes a snapshot; continue tokens ("<snapshot>:<offset>") page through it.
            int id, offset;
            if (continueToken is null)
            {
                id = ++_snapshot;
                _snapshots[id] = (_objects.ToList(), _resourceVersion);
                offset = 0;
            }
            else
            {
                var parts = continueToken.Split(':');
                id = int.Parse(parts[0]);
                offset = int.Parse(parts[1]);
            }
            var (items, rv) = _snapshots[id];
            var page = items.Skip(offset).Take(limit).ToList();
            var next = offset + page.Count;
            var list = new KubeList<TestObject>
            {
                ApiVersion = "v1",
                Kind = "TestList",
                Metadata = new ListMeta
                {
                    ResourceVersion = rv,
                    Continue = next < items.Count ? $"{id}:{next}" : null,
                    RemainingItemCount = next < items.Count ? items.Count - next : null,
                },
                Items = page,
            };
            return Task.FromResult(list);
        }
    }

    public Task<Stream> WatchAsync(string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken)
    {
        var request = new WatchRequest(resourceVersion, serverTimeout);
        WatchRequests.Enqueue(request);
        lock (_gate)
        {
            _watchLog.Add(request);
            foreach (var waiter in _watchWaiters.Where(w => w.Count == _watchLog.Count).ToList())
            {
                _watchWaiters.Remove(waiter);
                waiter.Done.TrySetResult(request);
            }
        }
        try
        {
            var body = _watchScript.TryDequeue(out var next)
                ? next()
                : new ScriptedStream(Array.Empty<byte>(), ScriptedStream.Ending.Hang);
            if (body is ScriptedStream scripted) OpenedStreams.Enqueue(scripted);
            return Task.FromResult(body);
        }
        catch (Exception e)
        {
            return Task.FromException<Stream>(e);
        }
    }

    public TestObject Deserialize(ReadOnlySpan<byte> json) => TestObject.Parse(json);
}
