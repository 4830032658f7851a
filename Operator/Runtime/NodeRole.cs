using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Baseline;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime;

/// <summary>--role node: the eBPF agent of one node. Loads the embedded programs (what this kernel accepts),
/// attributes events to containers through their cgroup paths and to pods through a watch of this node's pods
/// (standalone with --kubeconfig none: pod UID and container ID only), runs the built-in rules and prints alerts as
/// Falco JSON lines on stdout. Ready once the programs are attached (and the pods listed). Exit codes: 0 after a clean
/// stop, 1 when the programs cannot run at all, 2 for bad flags (no node name, unreadable deny paths).</summary>
public sealed class NodeRole : IRole
{
    /// <summary>How often kernel and event counters are copied into the metrics: 5 s, a third of the usual 15 s scrape.</summary>
    public static readonly TimeSpan MetricsRefresh = TimeSpan.FromSeconds(5);

    private volatile bool _attached;

    public string Name => Flags.Node;

    public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
    {
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("node");
        context.Health.AddReadinessCheck("eBPF programs attached", () => _attached);
        var standalone = RoleKubeClient.IsStandalone(options);
        var nodeName = options.GetString(Flags.NodeName) ?? "";
        if (!standalone && nodeName.Length == 0)
        {
            log.LogError("--node-name is required to watch this node's pods (the DaemonSet sets SECURITY_OPERATOR_NODE_NAME from spec.nodeName); use --kubeconfig none to run without an API server");
            return 2;
        }

        var mount = CgroupFs.FindV2Mount();
        if (mount is null)
        {
            log.LogError("no cgroup2 filesystem is mounted (/proc/self/mountinfo): events cannot be attributed to containers");
            return 1;
        }
        var roots = options.GetList(Flags.NodeContainerCgroups) is { Count: > 0 } given ? given : ContainerRootDiscovery.Existing(mount);
        var filter = options.GetBool(Flags.NodeFilterContainers);
        if (filter && roots.Count == 0)
            log.LogWarning("no container cgroup root exists below {Mount} (kubepods.slice, kubepods): no container is running yet, or the kubelet uses another --cgroup-root (name it with --node-container-cgroups); no events will be seen until then", mount);

        PodDirectory? pods = null;
        KubeClient? client = null;
        SharedInformer<Pod>? informer = null;
        WorkloadDirectory? workloads = null;
        if (!standalone)
        {
            try
            {
                client = RoleKubeClient.Create(context);
            }
            catch (KubeconfigException e)
            {
                log.LogError("kubeconfig: {Reason}", e.Message);
                return 2;
            }
            pods = new PodDirectory();
            var selector = "spec.nodeName=" + nodeName;
            informer = new SharedInformer<Pod>(new KubeListerWatcher<Pod>(client, KubeResource.Pods, null, KubeJsonContext.Default.Pod,
                KubeJsonContext.Default.KubeListPod, fieldSelector: selector), new SharedInformerOptions
            {
                Selectors = new ListWatchSelectors(FieldSelector: selector),
                Metrics = context.Metrics,
                Watcher = new() { ResourceName = "pods" },
            }, context.LoggerFactory.CreateLogger("pods"));
            informer.AddEventHandler(pods);
            informer.AddEventHandler(workloads = new WorkloadDirectory());
            var podsInformer = informer;
            context.Health.AddReadinessCheck("pods of this node listed", () => podsInformer.HasSynced);
        }

        var metrics = new NodeMetrics(context.Metrics);
        var writer = new FalcoAlertWriter(context.Stdout, Environment.MachineName);
        Action<RuntimeAlert> raise = alert =>
        {
            metrics.Alert(alert.Rule.Id);
            writer.Write(alert);
        };
        var clock = new BootClock();
        var detector = new Detector(raise, clock);
        var baseline = NodeBaseline.Create(options, client, workloads, raise, clock, context.LoggerFactory);
        var flows = Flows.FlowPublishing.Create(options, client, informer, nodeName, context.LoggerFactory);
        var pipeline = new NodeEventPipeline(new CgroupDirectory(mount, roots), pods, detector, options.GetBool(Flags.NodeKeepHostEvents), baseline?.Monitor, flows?.Aggregator);
        var denyConnect = options.GetList(Flags.NodeDenyConnect);

        KernelSensor sensor;
        try
        {
            sensor = KernelSensor.Start(new KernelSensorOptions
            {
                FilterContainers = filter && roots.Count > 0,
                ContainerRoots = roots,
                CgroupV2Mount = mount,
                // Policies with connect rules can appear at any time when the API is watched.
                BlockConnectCgroups = denyConnect.Count > 0 || !standalone ? roots : [],
            }, pipeline, context.LoggerFactory.CreateLogger("ebpf"));
        }
        catch (Exception e) when (e is BpfException or InvalidOperationException or IOException or DllNotFoundException or EntryPointNotFoundException)
        {
            log.LogError("eBPF programs cannot run here: {Reason}", e.Message);
            client?.Dispose();
            return 1;
        }

        using (sensor)
        {
            try
            {
                DenyRules.Apply(sensor, options.GetList(Flags.NodeDenyExec), denyConnect);
            }
            catch (Exception e) when (e is IOException or ArgumentException or BpfException)
            {
                log.LogError("deny rules: {Reason}", e.Message);
                client?.Dispose();
                return 2;
            }
            _attached = sensor.Links.Count > 0;
            log.LogInformation("node agent running: {Mode}, container cgroups {Roots}, kernel filter {Filter}",
                standalone ? "standalone (pod UID and container ID from cgroup paths)" : $"watching the pods of node {nodeName}",
                string.Join(",", roots), filter);

            var policyAgent = client is not null && informer is not null
                ? Policies.NodePolicyAgent.Create(context, client, nodeName, informer, new CgroupDirectory(mount, roots), sensor, detector, pipeline)
                : null;
            var informerRun = Task.WhenAll(informer?.RunAsync(stopping) ?? Task.CompletedTask, flows?.RunAsync(stopping) ?? Task.CompletedTask);
            var policyRun = policyAgent?.RunAsync(stopping) ?? Task.CompletedTask;
            var baselineRun = baseline?.RunAsync(stopping) ?? Task.CompletedTask;
            var complianceRun = Compliance.Scans.NodeComplianceScan.RunForRoleAsync(context, client, nodeName, stopping);
            try
            {
                while (!stopping.IsCancellationRequested)
                {
                    metrics.Refresh(sensor, pipeline);
                    await Task.Delay(MetricsRefresh, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            metrics.Refresh(sensor, pipeline);
            try
            {
                await Task.WhenAll(informerRun, policyRun, complianceRun).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            await baselineRun.ConfigureAwait(false);
            if (baseline is not null) await baseline.SaveAtStopAsync().ConfigureAwait(false);
        }
        client?.Dispose();
        log.LogInformation("node agent stopped: every eBPF program and link released");
        return 0;
    }
}
