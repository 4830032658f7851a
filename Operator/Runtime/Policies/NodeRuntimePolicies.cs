using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Runtime.Policies;

/// <summary>Keeps the kernel maps in step with the runtime rules of the cluster's SecurityPolicies and
/// ClusterSecurityPolicies for the pods of this node: a new pass runs when a policy, a pod of the node or a namespace
/// changes, and every <see cref="Resync"/> regardless (containers whose cgroup appeared after their pod's update,
/// executables that appeared in a container). Each pass computes the whole plan and writes only the difference;
/// entries of pods that went away are removed.</summary>
public sealed class NodeRuntimePolicies
{
    /// <summary>10 s: how long a container started without a pod update, or a denied file created after the last pass,
    /// can go unprotected; a pass costs a cgroup walk and an openat2 per executable and container.</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(10);

    private readonly ClusterPolicyStore _policies;
    private readonly SharedInformer<Namespace> _namespaces;
    private readonly SharedInformer<Pod> _pods;
    private readonly CgroupDirectory _cgroups;
    private readonly RuntimePlanner _planner;
    private readonly RuntimeMapProgrammer _programmer;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private HashSet<string> _lastProblems = new(StringComparer.Ordinal);

    public NodeRuntimePolicies(ClusterPolicyStore policies, SharedInformer<Namespace> namespaces, SharedInformer<Pod> pods, CgroupDirectory cgroups,
        RuntimePlanner planner, RuntimeMapProgrammer programmer, Action<string>? podDeleted = null, ILogger? logger = null)
    {
        _policies = policies;
        _namespaces = namespaces;
        _pods = pods;
        _cgroups = cgroups;
        _planner = planner;
        _programmer = programmer;
        _logger = logger ?? NullLogger.Instance;
        policies.Subscribe(_ => Wake());
        pods.AddEventHandler(new ResourceEventHandler<Pod>(onAdd: _ => Wake(), onUpdate: (_, _) => Wake(), onDelete: p =>
        {
            if (p.Metadata.Uid is { } uid) podDeleted?.Invoke(uid);
            Wake();
        }));
        namespaces.AddEventHandler(new ResourceEventHandler<Namespace>(onAdd: _ => Wake(), onUpdate: (_, _) => Wake(), onDelete: _ => Wake()));
    }

    public RuntimeMapProgrammer Programmer => _programmer;

    /// <summary>Passes completed (for tests and logs).</summary>
    public long Passes { get; private set; }

    public bool HasSynced => _policies.HasSynced && _namespaces.HasSynced && _pods.HasSynced;

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Runs passes until stopped (the informers are run by their owners).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await Task.WhenAll(_policies.WaitForSyncAsync(stopping), _namespaces.WaitForSyncAsync(stopping), _pods.WaitForSyncAsync(stopping)).ConfigureAwait(false);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                ReconcileOnce();
            }
            catch (Exception e) when (e is Bpf.BpfException or IOException)
            {
                _logger.LogError("Runtime policy maps could not be updated: {Reason}; retried in {Resync}", e.Message, Resync);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(Resync);
            try
            {
                await _wake.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>One pass: plan from the current caches and cgroups, apply the difference. Returns the map writes.</summary>
    public int ReconcileOnce()
    {
        var plan = _planner.Plan(_policies.Snapshot, _pods.List(), ns => _namespaces.Get(null, ns)?.Metadata.Labels, _cgroups.Scan());
        var writes = _programmer.Apply(plan);
        Passes++;
        var problems = plan.Problems.ToHashSet(StringComparer.Ordinal);
        foreach (var problem in problems.Except(_lastProblems)) _logger.LogWarning("Runtime policy: {Problem}; retried every pass", problem);
        _lastProblems = problems;
        if (writes > 0)
            _logger.LogInformation("Runtime policy maps updated ({Writes} writes): {Execs} executable entries, {Destinations} destination entries, {Modes} allow-listed containers",
                writes, _programmer.ExecEntries, _programmer.DestinationEntries, _programmer.ConnectModes);
        return writes;
    }
}
