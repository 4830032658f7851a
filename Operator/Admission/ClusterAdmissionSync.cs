using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Admission;

/// <summary>Keeps the webhook's <see cref="AdmissionPolicySource"/> in step with the cluster: the compiled
/// SecurityPolicy/ClusterSecurityPolicy objects of a <see cref="ClusterPolicyStore"/> (which already keeps the last
/// valid form of a policy whose new version does not compile) and the labels of every Namespace. Nothing is published
/// before both caches have synced (the webhook is not ready until then); afterwards every change marks the snapshot
/// stale and a rebuild follows within <see cref="CoalesceWindow"/>, so a burst of changes (an initial list of
/// thousands of namespaces, a kubectl apply of many policies) costs one rebuild, and a change takes effect well within
/// the second the webhook issue allows. The rebuilt snapshot is swapped in whole.</summary>
public sealed class ClusterAdmissionSync
{
    /// <summary>Long enough to merge a burst of watch events, short against the one-second propagation target.</summary>
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(100);

    private readonly ClusterPolicyStore _policies;
    private readonly SharedInformer<Namespace> _namespaces;
    private readonly IReadOnlyList<CompiledPolicy> _filePolicies;
    private readonly IReadOnlyList<string> _excluded;
    private readonly AdmissionPolicySource _target;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Gauge.Child _inForce, _invalid;
    private readonly Gauge _namespaceCount;
    private readonly Counter _rebuilds;
    // One pending signal is enough: a rebuild reads the current state of both caches, whatever changed.
    private readonly Channel<bool> _stale = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ClusterAdmissionSync(ClusterPolicyStore policies, SharedInformer<Namespace> namespaces, IReadOnlyList<CompiledPolicy> filePolicies,
        IReadOnlyList<string> excludedNamespaces, AdmissionPolicySource target, MetricsRegistry metrics, TimeProvider? time = null, ILogger? log = null)
    {
        var policyGauge = metrics.CreateGauge("security_operator_admission_policies",
            "Policies admission decides with (in_force: compiled and applied, from files or the cluster; invalid: cluster objects whose newest version does not compile).", "state");
        _inForce = policyGauge.WithLabels("in_force");
        _invalid = policyGauge.WithLabels("invalid");
        _namespaceCount = metrics.CreateGauge("security_operator_admission_namespaces", "Namespaces whose labels admission knows.");
        _rebuilds = metrics.CreateCounter("security_operator_admission_snapshot_rebuilds_total",
            "Admission snapshots built from the policy and namespace caches (each one swapped in whole).");
        _policies = policies;
        _namespaces = namespaces;
        _filePolicies = filePolicies;
        _excluded = excludedNamespaces;
        _target = target;
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger.Instance;
        policies.Subscribe(_ => MarkStale());
        namespaces.AddEventHandler(new ResourceEventHandler<Namespace>(
            onAdd: _ => MarkStale(),
            onUpdate: (before, after) => { if (!SameLabels(before, after)) MarkStale(); },
            onDelete: _ => MarkStale()));
    }

    /// <summary>Waits for both caches, publishes the first snapshot, then rebuilds on every change until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await Task.WhenAll(_policies.WaitForSyncAsync(stopping), _namespaces.WaitForSyncAsync(stopping)).ConfigureAwait(false);
            _stale.Reader.TryRead(out _);
            Rebuild();
            while (await _stale.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                await Task.Delay(CoalesceWindow, _time, stopping).ConfigureAwait(false);
                _stale.Reader.TryRead(out _);
                Rebuild();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void MarkStale() => _stale.Writer.TryWrite(true);

    private void Rebuild()
    {
        var snapshot = _policies.Snapshot;
        var labels = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var ns in _namespaces.List())
        {
            if (ns.Metadata.Name is not { } name) continue;
            labels[name] = ns.Metadata.Labels is { } given
                ? new Dictionary<string, string>(given, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
        }
        IReadOnlyList<CompiledPolicy> policies = _filePolicies.Count == 0
            ? snapshot.Catalog.Policies
            : [.. _filePolicies, .. snapshot.Catalog.Policies];
        _target.Replace(new AdmissionPolicySnapshot(policies, labels, _excluded));
        var invalid = snapshot.Entries.Values.Count(e => e.Errors.Count > 0);
        _inForce.Set(policies.Count);
        _invalid.Set(invalid);
        _namespaceCount.Set(labels.Count);
        _rebuilds.Inc();
        _log.LogInformation("admission policies now {Policies} ({Invalid} invalid kept out or at their last valid version), {Namespaces} namespaces (policy snapshot {Version})",
            policies.Count, invalid, labels.Count, snapshot.Version);
    }

    private static bool SameLabels(Namespace a, Namespace b)
    {
        var x = a.Metadata.Labels;
        var y = b.Metadata.Labels;
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return (x?.Count ?? 0) == (y?.Count ?? 0);
        if (x.Count != y.Count) return false;
        foreach (var (key, value) in x)
            if (!y.TryGetValue(key, out var other) || other != value) return false;
        return true;
    }
}
