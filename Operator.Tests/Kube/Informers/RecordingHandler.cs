using SecurityOperator.Kube.Informers;
using SecurityOperator.Tests.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Informers;

/// <summary>Writes each call as "add name rv", "update name oldRv->newRv", "delete name rv" and lets a test await a count.</summary>
internal sealed class RecordingHandler : IResourceEventHandler<TestObject>
{
    private readonly object _gate = new();
    private readonly List<string> _calls = new();
    private readonly List<(Func<List<string>, bool> Until, TaskCompletionSource Done)> _waiters = new();
    private int _active;

    public int MaxConcurrent { get; private set; }

    public List<string> Calls
    {
        get { lock (_gate) return _calls.ToList(); }
    }

    public void OnAdd(TestObject obj) => Record($"add {obj.Metadata.Name} {obj.Metadata.ResourceVersion}");
    public void OnUpdate(TestObject oldObj, TestObject newObj) =>
        Record($"update {newObj.Metadata.Name} {oldObj.Metadata.ResourceVersion}->{newObj.Metadata.ResourceVersion}");
    public void OnDelete(TestObject obj) => Record($"delete {obj.Metadata.Name} {obj.Metadata.ResourceVersion}");

    private void Record(string call)
    {
        var active = Interlocked.Increment(ref _active);
        lock (_gate)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, active);
            _calls.Add(call);
            foreach (var w in _waiters.Where(w => w.Until(_calls)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult();
            }
        }
        Interlocked.Decrement(ref _active);
    }

    /// <summary>Completes once at least <paramref name="count"/> calls were recorded in total.</summary>
    public Task WaitForAsync(int count, CancellationToken ct) => WaitUntilAsync(calls => calls.Count >= count, ct);

    /// <summary>Completes once <paramref name="call"/> was recorded.</summary>
    public Task WaitForCallAsync(string call, CancellationToken ct) => WaitUntilAsync(calls => calls.Contains(call), ct);

    private Task WaitUntilAsync(Func<List<string>, bool> until, CancellationToken ct)
    {
        lock (_gate)
        {
            if (until(_calls)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((until, done));
            return done.Task.WaitAsync(ct);
        }
    }
}
