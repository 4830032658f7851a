using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Cluster;

/// <summary>The cluster's policies, compiled, kept current by two informers (SecurityPolicy, ClusterSecurityPolicy).
/// Shared by every part that evaluates policies (controller, webhook). Each object is compiled once per generation;
/// when a new generation does not compile, the last valid form stays in force and the errors are kept beside it.
/// Every change publishes a new immutable <see cref="PolicySnapshot"/> (one reference swap) and then raises
/// <see cref="Changed"/>; changes are applied and announced one at a time, in order.</summary>
public sealed class ClusterPolicyStore
{
    private readonly SharedInformer<SecurityPolicy> _namespaced;
    private readonly SharedInformer<ClusterSecurityPolicy> _cluster;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Action<PolicySnapshotChange>> _listeners = [];
    private PolicySnapshot _snapshot = PolicySnapshot.Empty;

    public ClusterPolicyStore(SharedInformer<SecurityPolicy> namespaced, SharedInformer<ClusterSecurityPolicy> cluster, ILogger? logger = null)
    {
        _namespaced = namespaced;
        _cluster = cluster;
        _logger = logger ?? NullLogger.Instance;
        namespaced.AddEventHandler(new ResourceEventHandler<SecurityPolicy>(
            onAdd: p => Upsert(KeyOf(p), p.Metadata, () => PolicyCompiler.Compile(p)),
            onUpdate: (_, p) => Upsert(KeyOf(p), p.Metadata, () => PolicyCompiler.Compile(p)),
            onDelete: p => Remove(KeyOf(p))));
        cluster.AddEventHandler(new ResourceEventHandler<ClusterSecurityPolicy>(
            onAdd: p => Upsert(KeyOf(p), p.Metadata, () => PolicyCompiler.Compile(p)),
            onUpdate: (_, p) => Upsert(KeyOf(p), p.Metadata, () => PolicyCompiler.Compile(p)),
            onDelete: p => Remove(KeyOf(p))));
    }

    /// <summary>The current snapshot (never null; lock-free read).</summary>
    public PolicySnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Both informers have delivered their first complete list, so the snapshot holds every policy.</summary>
    public bool HasSynced => _namespaced.HasSynced && _cluster.HasSynced;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_namespaced.WaitForSyncAsync(cancellationToken), _cluster.WaitForSyncAsync(cancellationToken));

    /// <summary>Called after every swap, in order, on the informer's thread: keep it short (e.g. enqueue work). Dispose
    /// the result to stop listening.</summary>
    public IDisposable Subscribe(Action<PolicySnapshotChange> listener)
    {
        lock (_gate) _listeners.Add(listener);
        return new Subscription(this, listener);
    }

    public static PolicyKey KeyOf(SecurityPolicy policy) => PolicyKey.Namespaced(policy.Metadata.Namespace ?? "", policy.Metadata.Name ?? "");

    public static PolicyKey KeyOf(ClusterSecurityPolicy policy) => PolicyKey.Cluster(policy.Metadata.Name ?? "");

    private void Upsert(PolicyKey key, ObjectMeta metadata, Func<PolicyCompilation> compile)
    {
        lock (_gate)
        {
            var previous = _snapshot.Get(key);
            // Status writes and label edits do not change the generation: nothing to recompile.
            if (previous is not null && previous.Uid == metadata.Uid && metadata.Generation is not null && previous.Generation == metadata.Generation) return;
            var compilation = compile();
            PolicyEntry entry;
            if (compilation.Policy is { } compiled)
                entry = new PolicyEntry(key, metadata.Uid, metadata.Generation, compiled, metadata.Generation, []);
            else
            {
                // A recreated object (new uid) does not inherit the deleted one's last valid form.
                var keep = previous is not null && previous.Uid == metadata.Uid ? previous : null;
                entry = new PolicyEntry(key, metadata.Uid, metadata.Generation, keep?.Compiled, keep?.CompiledGeneration, compilation.Errors);
                _logger.LogWarning("{Policy} generation {Generation} does not compile ({Errors}); {InForce}", key.ToString(), metadata.Generation,
                    string.Join("; ", compilation.Errors), keep?.Compiled is null ? "nothing of it is enforced" : $"generation {keep.CompiledGeneration} stays in force");
            }
            var entries = new Dictionary<PolicyKey, PolicyEntry>(_snapshot.Entries) { [key] = entry };
            Publish(entries, key);
        }
    }

    private void Remove(PolicyKey key)
    {
        lock (_gate)
        {
            if (!_snapshot.Entries.ContainsKey(key)) return;
            var entries = new Dictionary<PolicyKey, PolicyEntry>(_snapshot.Entries);
            entries.Remove(key);
            Publish(entries, key);
        }
    }

    // Under _gate: swap, then tell the listeners, so they see changes in the order they happened.
    private void Publish(Dictionary<PolicyKey, PolicyEntry> entries, PolicyKey changed)
    {
        var previous = _snapshot;
        var current = new PolicySnapshot(previous.Version + 1, entries);
        Volatile.Write(ref _snapshot, current);
        var change = new PolicySnapshotChange(previous, current, [changed]);
        foreach (var listener in _listeners.ToArray())
        {
            try
            {
                listener(change);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "A policy snapshot listener threw for the change of {Policy}", changed.ToString());
            }
        }
    }

    private sealed class Subscription(ClusterPolicyStore owner, Action<PolicySnapshotChange> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._listeners.Remove(listener);
        }
    }
}
