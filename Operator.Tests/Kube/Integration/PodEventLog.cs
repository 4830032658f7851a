using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>An informer handler that writes each call as "add ns/name rv", "update ns/name oldRv->newRv" or
/// "delete ns/name rv", counts concurrent calls, and lets a test wait for a condition on what it has seen.</summary>
internal sealed class PodEventLog : IResourceEventHandler<Pod>
{
    private readonly object _gate = new();
    private readonly List<string> _calls = [];
    private readonly List<(Func<IReadOnlyList<string>, bool> Until, TaskCompletionSource Done)> _waiters = [];
    private int _active;

    /// <summary>Runs inside each call before it is recorded (a test can block here to play a slow consumer).</summary>
    public Action<string>? BeforeRecord { get; set; }

    public int MaxConcurrentCalls { get; private set; }

    public IReadOnlyList<string> Calls
    {
        get { lock (_gate) return _calls.ToList(); }
    }

    public void OnAdd(Pod obj) => Record($"add {Key(obj)} {obj.Metadata.ResourceVersion}");
    public void OnUpdate(Pod oldObj, Pod newObj) => Record($"update {Key(newObj)} {oldObj.Metadata.ResourceVersion}->{newObj.Metadata.ResourceVersion}");
    public void OnDelete(Pod obj) => Record($"delete {Key(obj)} {obj.Metadata.ResourceVersion}");

    public Task WaitUntilAsync(Func<IReadOnlyList<string>, bool> until, string what)
    {
        lock (_gate)
        {
            if (until(_calls)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((until, done));
            return done.Task.WithinLimit($"{what} (seen {_calls.Count} calls, last: {_calls.LastOrDefault()})");
        }
    }

    /// <summary>Waits until a call starting with <paramref name="prefix"/> was recorded ("add secops/web-0", "delete secops/b").</summary>
    public Task WaitForAsync(string prefix) => WaitUntilAsync(calls => calls.Any(c => c.StartsWith(prefix + " ", StringComparison.Ordinal)), prefix);

    private static string Key(Pod pod) => ObjectKey.Of(pod);

    private void Record(string call)
    {
        var active = Interlocked.Increment(ref _active);
        try
        {
            BeforeRecord?.Invoke(call);
            lock (_gate)
            {
                MaxConcurrentCalls = Math.Max(MaxConcurrentCalls, active);
                _calls.Add(call);
                foreach (var waiter in _waiters.Where(w => w.Until(_calls)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
        finally { Interlocked.Decrement(ref _active); }
    }
}
