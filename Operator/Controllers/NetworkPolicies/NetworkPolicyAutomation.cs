using System.Net;
using Microsoft.Extensions.Logging;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Queue;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>The controller's NetworkPolicy automation. Zero trust: each namespace's <c>security.io/zero-trust</c>
/// label is reconciled by <see cref="ZeroTrustReconciler"/> when it changes. Flow generation: the nodes'
/// NetworkFlowReports, resolved against the pod and Service caches, are planned by <see cref="FlowPolicyPlanner"/>; generated allow
/// policies are applied in enforce namespaces, logged in audit namespaces, and removed (only those it created) where
/// the label is gone. Informers run on every replica; the work queue only on the leader, with one worker.</summary>
public sealed class NetworkPolicyAutomation
{
    /// <summary>Work queue key of the cluster-wide flow pass (cross-namespace flows make it one unit).</summary>
    internal const string FlowsKey = "flows";
    private const string ZeroTrustPrefix = "zero-trust/";
    private const string PodAddressIndex = "podIP";

    private readonly SharedInformer<Namespace> _namespaces;
    private readonly SharedInformer<Pod> _pods;
    private readonly SharedInformer<NetworkFlowReport> _reports;
    private readonly SharedInformer<NetworkPolicy> _policies;
    private readonly SharedInformer<Service> _services;
    private readonly ZeroTrustReconciler _zeroTrust;
    private readonly ManagedPolicyApplier _applier;
    private readonly WorkQueue<string> _queue;
    private readonly ILogger _logger;

    public NetworkPolicyAutomation(KubeClient client, SharedInformer<Namespace> namespaces, SharedInformer<Pod> pods, MetricsRegistry metrics,
        WatcherOptions? watcher, TimeProvider time, ILoggerFactory loggers)
    {
        _namespaces = namespaces;
        _pods = pods;
        _logger = loggers.CreateLogger("network-policies");
        _reports = new SharedInformer<NetworkFlowReport>(new KubeListerWatcher<NetworkFlowReport>(client, NetworkFlowReport.Resource, null,
                FlowJsonContext.Default.NetworkFlowReport, FlowJsonContext.Default.KubeListNetworkFlowReport),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = NetworkFlowReport.Resource.Plural } });
        // Every NetworkPolicy: the evaluator needs the policies in force, not only ours.
        _policies = new SharedInformer<NetworkPolicy>(new KubeListerWatcher<NetworkPolicy>(client, KubeResource.NetworkPolicies, null,
                KubeJsonContext.Default.NetworkPolicy, KubeJsonContext.Default.KubeListNetworkPolicy),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = KubeResource.NetworkPolicies.Plural + "-all" } });
        _services = new SharedInformer<Service>(new KubeListerWatcher<Service>(client, Service.Resource, null,
                ServiceJsonContext.Default.Service, ServiceJsonContext.Default.KubeListService),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = Service.Resource.Plural } });
        _applier = new ManagedPolicyApplier(client, _logger);
        _zeroTrust = new ZeroTrustReconciler(_applier);
        _queue = new WorkQueue<string>(new WorkQueueOptions<string> { Name = "networkpolicies", Metrics = metrics, TimeProvider = time });
        _pods.AddIndex(PodAddressIndex, p => PodWorkload.UsesHostNetwork(p) ? [] : PodWorkload.Addresses(p).Select(Canonical));
        Wire();
    }

    /// <summary>The NetworkFlowReports are not waited for: their CRD comes with the node agents and may be missing, and
    /// the controller's other work must not wait for it. The flow pass waits for them instead (<see cref="FlowReportsRetry"/>).</summary>
    public bool HasSynced => _policies.HasSynced && _services.HasSynced;

    /// <summary>How often the flow pass looks again while the NetworkFlowReports are not listed yet.</summary>
    internal static readonly TimeSpan FlowReportsRetry = TimeSpan.FromSeconds(30);

    public Task RunInformersAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_reports.RunAsync(cancellationToken), _policies.RunAsync(cancellationToken), _services.RunAsync(cancellationToken));

    /// <summary>The leader's part (caches already synced): every namespace once, one flow pass, then what changes.</summary>
    public Task LeadAsync(CancellationToken cancellationToken)
    {
        foreach (var ns in _namespaces.List()) _queue.Add(ZeroTrustPrefix + ns.Metadata.Name);
        _queue.Add(FlowsKey);
        return WorkQueueWorkers.RunAsync(_queue, 1, ReconcileAsync, cancellationToken, _logger);
    }

    internal Task ReconcileAsync(string key, CancellationToken cancellationToken) =>
        key == FlowsKey ? ReconcileFlowsAsync(cancellationToken) : ReconcileZeroTrustAsync(key[ZeroTrustPrefix.Length..], cancellationToken);

    internal async Task ReconcileZeroTrustAsync(string ns, CancellationToken cancellationToken)
    {
        // A deleted namespace takes its policies with it; nothing to undo.
        if (_namespaces.Get(ns) is not { } namespaceObject) return;
        // Unlabelled and nothing of ours there (the cache says): no need to ask the API server.
        if (ZeroTrustPolicies.ModeOf(namespaceObject) == ZeroTrustPolicies.Mode.Off && !_policies.ByIndex(SharedInformer<NetworkPolicy>.NamespaceIndex, ns).Any(p =>
                ManagedNetworkPolicy.IsManaged(p) && p.Metadata.Labels?.GetValueOrDefault(ManagedNetworkPolicy.PurposeLabel) == ZeroTrustPolicies.Purpose))
            return;
        var result = await _zeroTrust.ReconcileAsync(namespaceObject, cancellationToken).ConfigureAwait(false);
        if (result.Mode == ZeroTrustPolicies.Mode.Audit)
            _logger.LogInformation("zero trust (audit) in {Namespace}: would apply {Policies}", ns,
                string.Join(", ", result.Planned.Select(p => p.Metadata.Name)));
    }

    internal async Task ReconcileFlowsAsync(CancellationToken cancellationToken)
    {
        var modes = _namespaces.List().ToDictionary(n => n.Metadata.Name ?? "", ZeroTrustPolicies.ModeOf, StringComparer.Ordinal);
        var current = _policies.List();
        var generatedIn = current.Where(FlowPolicyPlanner.IsGenerated).Select(p => p.Metadata.Namespace ?? "").ToHashSet(StringComparer.Ordinal);
        if (modes.Values.All(m => m == ZeroTrustPolicies.Mode.Off) && generatedIn.Count == 0) return;
        if (!_reports.HasSynced)
        {
            // Planning without the flows would generate policies that admit none of them: wait until they are listed.
            _logger.LogWarning("flow-based NetworkPolicies wait for the NetworkFlowReports, which are not listed yet (is the CRD {Crd} installed? manifests/crds/); trying again in {Retry}",
                $"{NetworkFlowReport.Resource.Plural}.{NetworkFlowReport.Resource.Group}", FlowReportsRetry);
            _queue.AddAfter(FlowsKey, FlowReportsRetry);
            return;
        }
        var labels = _namespaces.List().ToDictionary(n => n.Metadata.Name ?? "",
            n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()), StringComparer.Ordinal);
        FlowPolicyDecision decision;
        try
        {
            var services = new ServiceBackends(_services.List(), ns => _pods.ByIndex(SharedInformer<Pod>.NamespaceIndex, ns));
            decision = FlowPolicyPlanner.Plan(_reports.List(), PodAt, modes, current, labels, services);
        }
        catch (ArgumentException e)
        {
            _logger.LogError("flow-based NetworkPolicies not generated: {Reason}", e.Message);
            return;
        }
        foreach (var flow in decision.Unlabelled)
            _logger.LogWarning("flow {Flow} left out of generation: a workload without labels cannot be selected", FlowPolicyPlanner.Describe(flow));
        foreach (var (ns, blocked) in decision.Held)
            _logger.LogError("generated NetworkPolicies for {Namespace} not applied: they would block observed flows {Flows}", ns,
                string.Join("; ", blocked.Select(FlowPolicyPlanner.Describe)));
        foreach (var (ns, policies) in decision.Audit)
            foreach (var generated in policies)
                _logger.LogInformation("flows (audit) in {Namespace}: would apply NetworkPolicy {Name} admitting {Flows}", ns, generated.Policy.Metadata.Name,
                    string.Join("; ", generated.AdmittedFlows.Select(FlowPolicyPlanner.Describe).Distinct()));
        foreach (var (ns, policies) in decision.Apply)
        {
            var outcome = await _applier.ApplyAsync(ns, FlowPolicyGenerator.Purpose, [.. policies.Select(g => g.Policy)], dryRun: false, cancellationToken).ConfigureAwait(false);
            foreach (var generated in policies.Where(g => outcome.Created.Contains(g.Policy.Metadata.Name!) || outcome.Updated.Contains(g.Policy.Metadata.Name!)))
                _logger.LogInformation("NetworkPolicy {Namespace}/{Name} admits {Flows}", ns, generated.Policy.Metadata.Name,
                    string.Join("; ", generated.AdmittedFlows.Select(FlowPolicyPlanner.Describe).Distinct()));
        }
        // Where the label went away or turned to audit: remove what flow generation created there, and only that.
        foreach (var ns in generatedIn.Where(n => modes.GetValueOrDefault(n) != ZeroTrustPolicies.Mode.Enforce))
            await _applier.ApplyAsync(ns, FlowPolicyGenerator.Purpose, [], dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    private Pod? PodAt(string address) => _pods.ByIndex(PodAddressIndex, address) is [var pod, ..] ? pod : null;

    private static string Canonical(string address) => IPAddress.TryParse(address, out var parsed) ? parsed.ToString() : address;

    private void Wire()
    {
        _namespaces.AddEventHandler(new ResourceEventHandler<Namespace>(
            onAdd: n => Enqueue(n, labelChanged: true),
            onUpdate: (o, n) => Enqueue(n, o.Metadata.Labels?.GetValueOrDefault(ZeroTrustPolicies.Label) != n.Metadata.Labels?.GetValueOrDefault(ZeroTrustPolicies.Label)),
            onDelete: null));
        _reports.AddEventHandler(new ResourceEventHandler<NetworkFlowReport>(_ => _queue.Add(FlowsKey), (_, _) => _queue.Add(FlowsKey), _ => _queue.Add(FlowsKey)));
        // Someone changed or deleted a policy this automation made: put it back in line.
        _policies.AddEventHandler(new ResourceEventHandler<NetworkPolicy>(null,
            (_, p) => RequeueIfOurs(p), RequeueIfOurs));
    }

    private void Enqueue(Namespace ns, bool labelChanged)
    {
        if (!labelChanged) return;
        _queue.Add(ZeroTrustPrefix + ns.Metadata.Name);
        _queue.Add(FlowsKey);
    }

    private void RequeueIfOurs(NetworkPolicy policy)
    {
        if (!ManagedNetworkPolicy.IsManaged(policy)) return;
        var purpose = policy.Metadata.Labels?.GetValueOrDefault(ManagedNetworkPolicy.PurposeLabel);
        if (purpose == ZeroTrustPolicies.Purpose) _queue.Add(ZeroTrustPrefix + policy.Metadata.Namespace);
        else if (purpose == FlowPolicyGenerator.Purpose) _queue.Add(FlowsKey);
    }
}
