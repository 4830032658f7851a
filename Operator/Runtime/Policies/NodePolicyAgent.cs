using Microsoft.Extensions.Logging;
using SecurityOperator.Controllers.Events;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime.Policies;

/// <summary>The node role's policy part: informers over SecurityPolicies, ClusterSecurityPolicies and Namespaces (the
/// same ones the controller uses, through <see cref="PolicyInformers"/> and <see cref="ClusterPolicyStore"/>), the
/// map reconciler, the matcher on the event thread and the responder on the API.</summary>
public sealed class NodePolicyAgent
{
    private readonly SharedInformer<Policy.Api.SecurityPolicy> _namespaced;
    private readonly SharedInformer<Policy.Api.ClusterSecurityPolicy> _cluster;
    private readonly SharedInformer<Namespace> _namespaces;

    private NodePolicyAgent(SharedInformer<Policy.Api.SecurityPolicy> namespaced, SharedInformer<Policy.Api.ClusterSecurityPolicy> cluster,
        SharedInformer<Namespace> namespaces, NodeRuntimePolicies reconciler, RuntimeResponder responder)
    {
        _namespaced = namespaced;
        _cluster = cluster;
        _namespaces = namespaces;
        Reconciler = reconciler;
        Responder = responder;
    }

    public NodeRuntimePolicies Reconciler { get; }
    public RuntimeResponder Responder { get; }

    /// <summary>Builds the policy part and hooks its matcher into <paramref name="pipeline"/>. Nothing runs until
    /// <see cref="RunAsync"/>.</summary>
    public static NodePolicyAgent Create(RoleContext context, KubeClient client, string nodeName, SharedInformer<Pod> pods, CgroupDirectory cgroups,
        KernelSensor sensor, Detector detector, NodeEventPipeline pipeline)
    {
        var loggers = context.LoggerFactory;
        var namespaced = PolicyInformers.Namespaced(client, context.Metrics, logger: loggers.CreateLogger("policies"));
        var cluster = PolicyInformers.Cluster(client, context.Metrics, logger: loggers.CreateLogger("policies"));
        var namespaces = CoreInformers.Namespaces(client, context.Metrics, logger: loggers.CreateLogger("namespaces"));
        var store = new ClusterPolicyStore(namespaced, cluster, loggers.CreateLogger("policies"));
        var table = new RuntimeRuleTable();
        var programmer = new RuntimeMapProgrammer(new KernelRuntimeMaps(sensor), table);
        var events = new ViolationEventRecorder(client, nodeName, logger: loggers.CreateLogger("events"));
        var responder = new RuntimeResponder(client, events, uid => pods.List().FirstOrDefault(p => p.Metadata.Uid == uid), logger: loggers.CreateLogger("responses"));
        var reconciler = new NodeRuntimePolicies(store, namespaces, pods, cgroups, new RuntimePlanner(table), programmer, responder.Forget,
            loggers.CreateLogger("runtime-policies"));
        pipeline.PolicyMatcher = new RuntimePolicyMatcher(table, programmer, detector, responder.Offer);
        return new NodePolicyAgent(namespaced, cluster, namespaces, reconciler, responder);
    }

    /// <summary>Runs the informers, the reconciler and the responder until stopped.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(_namespaced.RunAsync(stopping), _cluster.RunAsync(stopping), _namespaces.RunAsync(stopping),
            Reconciler.RunAsync(stopping), Responder.RunAsync(stopping));
}
