using SecurityOperator.Controllers.Audit;

namespace SecurityOperator.Controllers;

public sealed partial class ControllerRuntime
{
    /// <summary>The leader's first pass evaluates every namespace before any report is written: the writes go through
    /// the client's rate limit (--kube-api-qps) one namespace after another, and when each namespace's audit waited for
    /// the previous namespaces' writes, the whole audit of a large cluster was bound by that limit. Now the findings
    /// (and the policy counts and metrics built from them) are complete within the evaluation time, and the queued
    /// reconciles that follow find every object's result cached (same resourceVersion, labels and policies) and only
    /// write. Runs before the workers start, over distinct namespaces in parallel, which is what
    /// <see cref="NamespaceAuditor"/> allows.</summary>
    private void AuditAllFirst(IReadOnlyList<string> namespaces, CancellationToken cancellationToken)
    {
        var snapshot = Store.Snapshot;
        Parallel.ForEach(namespaces, new ParallelOptions { MaxDegreeOfParallelism = _settings.AuditWorkers, CancellationToken = cancellationToken }, ns =>
        {
            if (_namespaces.Get(ns) is not { } namespaceObject) return; // deleted meanwhile: its reconcile forgets it
            var audit = _auditor.Audit(ns, namespaceObject.Metadata.Labels, snapshot);
            foreach (var key in _counts.Update(ns, audit)) _statusQueue.Add(key);
            _progress.Audited(ns, audit.Objects.Count);
        });
        // The initial LIST pages (full objects before the informers trimmed them) and the evaluation buffers were
        // one-off garbage: collect and give the memory back to the system now, once, instead of carrying that peak
        // as resident memory until the GC happens to shrink the heap.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _progress.LogMemory("audit, after that collection");
    }
}
