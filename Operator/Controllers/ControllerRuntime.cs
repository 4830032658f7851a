using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Enforcement;
using SecurityOperator.Controllers.Events;
using SecurityOperator.Controllers.Notify;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Controllers.Reports;
using SecurityOperator.Controllers.Status;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Queue;
using SecurityOperator.Kube.Watch;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Controllers;

/// <summary>The controller's parts wired together: informers (policies, namespaces, pods, six workload kinds, its own
/// reports), the shared policy store, the namespace audit with its PolicyReport writer and Events, and the policy status
/// reconciler, each behind a work queue. Informers run on every replica (warm caches make failover quick); the
/// workers run only in <see cref="LeadAsync"/>, i.e. on the leader.</summary>
public sealed partial class ControllerRuntime
{
    private const string AuditController = "audit";
    private const string StatusController = "policystatus";

    private readonly ControllerSettings _settings;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SharedInformer<SecurityPolicy> _policies;
    private readonly SharedInformer<ClusterSecurityPolicy> _clusterPolicies;
    private readonly SharedInformer<Namespace> _namespaces;
    private readonly SharedInformer<PolicyReport> _reports;
    private readonly IReadOnlyList<AuditedKind> _kinds;
    private readonly NamespaceAuditor _auditor;
    private readonly PolicyReportWriter _writer;
    private readonly PolicyStatusReconciler _status;
    private readonly ViolationEventRecorder _events;
    private readonly ExistingPodEnforcer _enforcer;
    private readonly SharedInformer<NetworkPolicy> _networkPolicies;
    private readonly PodQuarantine _quarantine;
    private readonly NetworkPolicies.NetworkPolicyAutomation _networkAutomation;
    private readonly PolicyMatchCounts _counts = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastReportWrite = new(StringComparer.Ordinal);
    private readonly WorkQueue<string> _auditQueue;
    private readonly WorkQueue<PolicyKey> _statusQueue;
    private readonly NotificationSink? _sink;
    private readonly FindingNotifier? _notifier;
    private readonly InitialAuditProgress _progress;

    public ControllerRuntime(KubeClient client, ControllerSettings settings, MetricsRegistry metrics, ILoggerFactory loggers, WatcherOptions? watcher = null)
    {
        _settings = settings;
        _metrics = new ControllerMetrics(metrics);
        _logger = loggers.CreateLogger("controller");
        _policies = PolicyInformers.Namespaced(client, metrics, watcher, loggers.CreateLogger("informer"));
        _clusterPolicies = PolicyInformers.Cluster(client, metrics, watcher, loggers.CreateLogger("informer"));
        Store = new ClusterPolicyStore(_policies, _clusterPolicies, loggers.CreateLogger("policies"));
        _namespaces = CoreInformers.Namespaces(client, metrics, watcher);
        _reports = PolicyReportWriter.CreateInformer(client, metrics, watcher);
        var c = KubeJsonContext.Default;
        _kinds =
        [
            AuditedKind<Pod>.Create(client, KubeResource.Pods, c.Pod, c.KubeListPod, metrics, watcher),
            AuditedKind<Deployment>.Create(client, WorkloadResources.Deployments, c.Deployment, c.KubeListDeployment, metrics, watcher),
            AuditedKind<ReplicaSet>.Create(client, WorkloadResources.ReplicaSets, c.ReplicaSet, c.KubeListReplicaSet, metrics, watcher),
            AuditedKind<StatefulSet>.Create(client, WorkloadResources.StatefulSets, c.StatefulSet, c.KubeListStatefulSet, metrics, watcher),
            AuditedKind<DaemonSet>.Create(client, WorkloadResources.DaemonSets, c.DaemonSet, c.KubeListDaemonSet, metrics, watcher),
            AuditedKind<Job>.Create(client, WorkloadResources.Jobs, c.Job, c.KubeListJob, metrics, watcher),
            AuditedKind<CronJob>.Create(client, WorkloadResources.CronJobs, c.CronJob, c.KubeListCronJob, metrics, watcher),
        ];
        // One table of shared strings for the cached objects, the findings and the reports (they repeat each other).
        var strings = new CacheInterning();
        AuditCacheTrim.Apply(_kinds, strings);
        ReportInterning.Apply(_reports, strings);
        _auditor = new NamespaceAuditor(_kinds, strings);
        _writer = new PolicyReportWriter(client, _reports, new PolicyReportBuilder(settings.MaxReportResults), settings.TimeProvider,
            loggers.CreateLogger("reports"));
        _status = new PolicyStatusReconciler(client, _policies, _clusterPolicies, Store, _counts, settings.TimeProvider, loggers.CreateLogger("status"),
            countsInterval: settings.StatusCountsInterval);
        _events = new ViolationEventRecorder(client, settings.Instance, settings.TimeProvider, loggers.CreateLogger("events"));
        _enforcer = new ExistingPodEnforcer(client, _events, settings.EvictionRetry, loggers.CreateLogger("enforcement"));
        _networkPolicies = PodQuarantine.CreateInformer(client, metrics, watcher);
        _quarantine = new PodQuarantine(client, _networkPolicies, _events, settings.TimeProvider, loggers.CreateLogger("quarantine"));
        Compliance = new Compliance.Scans.ClusterComplianceScan(client, _namespaces, settings.Compliance, metrics, loggers,
            cachedPods: ((AuditedKind<Pod>)_kinds[0]).ForEachJson);
        _networkAutomation = new NetworkPolicies.NetworkPolicyAutomation(client, _namespaces, ((AuditedKind<Pod>)_kinds[0]).Informer, metrics, watcher,
            settings.TimeProvider, loggers);
        _auditQueue = new WorkQueue<string>(new WorkQueueOptions<string> { Name = AuditController, Metrics = metrics, TimeProvider = settings.TimeProvider });
        _statusQueue = new WorkQueue<PolicyKey>(new WorkQueueOptions<PolicyKey> { Name = StatusController, Metrics = metrics, TimeProvider = settings.TimeProvider });
        if (settings.Notify.Url is not null)
        {
            _sink = new NotificationSink(settings.Notify, new NotifyMetrics(metrics), settings.TimeProvider, loggers.CreateLogger("notify"));
            _notifier = new FindingNotifier(_sink.Enqueue, settings.Notify, settings.Instance, settings.TimeProvider);
        }
        _progress = new InitialAuditProgress(metrics, _logger);
        Wire();
    }

    /// <summary>Zero-trust and flow-based NetworkPolicies (docs/compliance.md).</summary>
    internal NetworkPolicies.NetworkPolicyAutomation NetworkAutomation => _networkAutomation;

    /// <summary>The compiled policies (shared with other parts of the process).</summary>
    public ClusterPolicyStore Store { get; }

    /// <summary>The CIS section 5 scan the leader runs (its JSON report is served on the metrics port).</summary>
    public Compliance.Scans.ClusterComplianceScan Compliance { get; }

    /// <summary>The caches the leader's work needs. Not the PolicyReports: their CRD (wgpolicyk8s.io) may be missing, and
    /// only the report writes wait for them (<see cref="HoldReport"/>).</summary>
    public bool HasSynced => Store.HasSynced && _namespaces.HasSynced && _networkPolicies.HasSynced && _networkAutomation.HasSynced && _kinds.All(k => k.HasSynced);

    /// <summary>Runs every informer until cancelled.</summary>
    public Task RunInformersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(new[] { _policies.RunAsync(cancellationToken), _clusterPolicies.RunAsync(cancellationToken), _namespaces.RunAsync(cancellationToken),
            _reports.RunAsync(cancellationToken), _networkPolicies.RunAsync(cancellationToken), _networkAutomation.RunInformersAsync(cancellationToken) }.Concat(_kinds.Select(k => k.RunAsync(cancellationToken))));

    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        while (!HasSynced) await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leader's work: once the caches are synced, audit every namespace, then keep reconciling namespaces
    /// and policy statuses from the queues until <paramref name="cancellationToken"/> fires (stop or lost lease).</summary>
    public async Task LeadAsync(CancellationToken cancellationToken)
    {
        await WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var namespaces = _namespaces.List().Select(n => n.Metadata.Name ?? "").ToList();
        _progress.Begin(namespaces, Store.Snapshot.Entries.Count);
        AuditAllFirst(namespaces, cancellationToken);
        foreach (var ns in namespaces) _auditQueue.Add(ns);
        foreach (var key in Store.Snapshot.Entries.Keys) _statusQueue.Add(key);
        await Task.WhenAll(
            WorkQueueWorkers.RunAsync(_auditQueue, _settings.AuditWorkers, ReconcileNamespaceAsync, cancellationToken, _logger),
            WorkQueueWorkers.RunAsync(_statusQueue, _settings.StatusWorkers, ReconcileStatusAsync, cancellationToken, _logger),
            WriteHeldReportsOnceListedAsync(cancellationToken),
            _sink?.RunAsync(cancellationToken) ?? Task.CompletedTask,
            Compliance.RunAsync(cancellationToken),
            _networkAutomation.LeadAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The resourceVersions this controller's caches hold of a namespace's PolicyReport and of a SecurityPolicy
    /// (null when absent): tests wait for them to match the API server before they check that a reconcile writes
    /// nothing, since a write still in flight would otherwise count against it.</summary>
    internal (string? Report, string? Policy) CachedVersions(string ns, string policy) =>
        (_reports.Get(ns, PolicyReportWriter.ReportName)?.Metadata.ResourceVersion, _policies.Get(ns, policy)?.Metadata.ResourceVersion);

    /// <summary>Audits one namespace now and writes its report if it changed (the rate limit applies).</summary>
    internal Task ReconcileNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        _metrics.RecordAsync(AuditController, async () =>
        {
            var namespaceObject = _namespaces.Get(ns);
            if (namespaceObject is null)
            {
                _auditor.Forget(ns);
                _writer.Forget(ns);
                _reportsPending.TryRemove(ns, out _);
                _events.Forget(ns);
                _notifier?.Forget(ns);
                _lastReportWrite.TryRemove(ns, out _);
                foreach (var key in _counts.Update(ns, null)) _statusQueue.Add(key);
                _progress.Audited(ns, 0);
                _progress.Reported(ns);
                return "success";
            }
            var now = _settings.TimeProvider.GetUtcNow();
            if (_lastReportWrite.TryGetValue(ns, out var last) && now - last < _settings.ReportInterval)
            {
                // Coalesce: everything that changes until then is covered by one audit and at most one write.
                _auditQueue.AddAfter(ns, _settings.ReportInterval - (now - last));
                return "deferred";
            }
            var audit = _auditor.Audit(ns, namespaceObject.Metadata.Labels, Store.Snapshot);
            _progress.Audited(ns, audit.Objects.Count);
            var wrote = false;
            if (!_reports.HasSynced) HoldReport(ns);
            else
            {
                wrote = await _writer.WriteAsync(audit, cancellationToken).ConfigureAwait(false);
                _progress.Reported(ns);
                if (wrote) _lastReportWrite[ns] = _settings.TimeProvider.GetUtcNow();
            }
            foreach (var key in _counts.Update(ns, audit)) _statusQueue.Add(key);
            var events = await _events.RecordAsync(audit, cancellationToken).ConfigureAwait(false);
            var snapshot = Store.Snapshot;
            // New findings of rules/policies with notify are queued for the HTTP sink (deduplicated; see FindingNotifier).
            if (_notifier?.Notify(audit, snapshot) is { NextDue: { } renotify }) _auditQueue.AddAfter(ns, renotify);
            // Quarantine replaces eviction for a pod whose rule asks for it (evicting would drop the isolation with the pod).
            if (_settings.EnforceExisting &&
                await _enforcer.EnforceAsync(audit, name => _kinds[0].Get(ns, name) as Pod, cancellationToken,
                    skip: obj => PodQuarantine.QuarantineRule(obj, snapshot) is not null).ConfigureAwait(false) is { } retry)
                _auditQueue.AddAfter(ns, retry);
            // Lifting and NetworkPolicy cleanup run whatever --enforce-existing says, so turning it off never strands a quarantine.
            var pods = _kinds[0].InNamespace(ns).OfType<Pod>().ToList();
            if (await _quarantine.ReconcileAsync(audit, pods, snapshot, _settings.EnforceExisting, cancellationToken).ConfigureAwait(false) is { } due)
                _auditQueue.AddAfter(ns, due);
            return wrote || events > 0 ? "success" : "unchanged";
        });

    internal Task ReconcileStatusAsync(PolicyKey key, CancellationToken cancellationToken) =>
        _metrics.RecordAsync(StatusController, async () =>
        {
            var outcome = await _status.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            if (outcome.DueIn is { } due) _statusQueue.AddAfter(key, due);
            UpdatePolicyGauges(key);
            return outcome.Wrote ? "success" : outcome.DueIn is null ? "unchanged" : "deferred";
        });

    private void UpdatePolicyGauges(PolicyKey key)
    {
        var snapshot = Store.Snapshot;
        var entries = snapshot.Entries.Values;
        _metrics.Policies.WithLabels("ready").Set(entries.Count(e => e.IsValid));
        _metrics.Policies.WithLabels("stale").Set(entries.Count(e => e.IsStale));
        _metrics.Policies.WithLabels("invalid").Set(entries.Count(e => !e.IsValid && !e.IsStale));
        if (snapshot.Get(key)?.Compiled is { } compiled)
            _metrics.Violations.WithLabels(key.ToString(), compiled.Mode.ToString().ToLowerInvariant()).Set(_counts.For(key).Violating);
    }

    private void Wire()
    {
        foreach (var kind in _kinds) kind.OnChange(o => _auditQueue.Add(o.Metadata.Namespace ?? ""));
        _namespaces.AddEventHandler(new ResourceEventHandler<Namespace>(
            onAdd: n => _auditQueue.Add(n.Metadata.Name ?? ""),
            onUpdate: (o, n) => { if (!SameLabels(o.Metadata.Labels, n.Metadata.Labels)) _auditQueue.Add(n.Metadata.Name ?? ""); },
            onDelete: n => _auditQueue.Add(n.Metadata.Name ?? "")));
        _policies.AddEventHandler(new ResourceEventHandler<SecurityPolicy>(
            p => _statusQueue.Add(ClusterPolicyStore.KeyOf(p)), (_, p) => _statusQueue.Add(ClusterPolicyStore.KeyOf(p)), null));
        _clusterPolicies.AddEventHandler(new ResourceEventHandler<ClusterSecurityPolicy>(
            p => _statusQueue.Add(ClusterPolicyStore.KeyOf(p)), (_, p) => _statusQueue.Add(ClusterPolicyStore.KeyOf(p)), null));
        // Someone deleted or changed the quarantine NetworkPolicy: put the namespace back in line.
        _networkPolicies.AddEventHandler(new ResourceEventHandler<NetworkPolicy>(null,
            (_, n) => _auditQueue.Add(n.Metadata.Namespace ?? ""), n => _auditQueue.Add(n.Metadata.Namespace ?? "")));
        Store.Subscribe(OnPoliciesChanged);
    }

    /// <summary>Only the namespaces a changed policy applied to before or applies to now are audited again.</summary>
    private void OnPoliciesChanged(PolicySnapshotChange change)
    {
        foreach (var key in change.Changed)
        {
            _statusQueue.Add(key);
            var before = change.Previous.Get(key)?.Compiled;
            var after = change.Current.Get(key)?.Compiled;
            if (ReferenceEquals(before, after)) continue;
            foreach (var ns in AffectedNamespaces(before, after)) _auditQueue.Add(ns);
        }
    }

    private IEnumerable<string> AffectedNamespaces(CompiledPolicy? before, CompiledPolicy? after)
    {
        var namespaced = before ?? after;
        if (namespaced?.Scope == PolicyScope.Namespaced) return [namespaced.Namespace ?? ""];
        return _namespaces.List()
            .Where(n => before?.AppliesToNamespace(n.Metadata.Name, n.Metadata.Labels) == true || after?.AppliesToNamespace(n.Metadata.Name, n.Metadata.Labels) == true)
            .Select(n => n.Metadata.Name ?? "").ToList();
    }

    private static bool SameLabels(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));
}
