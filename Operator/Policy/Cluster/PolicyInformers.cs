using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Watch;
using SecurityOperator.Policy.Api;

namespace SecurityOperator.Policy.Cluster;

/// <summary>The two cluster-wide policy informers a <see cref="ClusterPolicyStore"/> is built on.</summary>
public static class PolicyInformers
{
    public static SharedInformer<SecurityPolicy> Namespaced(KubeClient client, MetricsRegistry metrics, WatcherOptions? watcher = null, ILogger? logger = null) =>
        new(new KubeListerWatcher<SecurityPolicy>(client, KubeResource.SecurityPolicies, null,
                PolicyJsonContext.Default.SecurityPolicy, PolicyJsonContext.Default.KubeListSecurityPolicy),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = KubeResource.SecurityPolicies.Plural } },
            logger);

    public static SharedInformer<ClusterSecurityPolicy> Cluster(KubeClient client, MetricsRegistry metrics, WatcherOptions? watcher = null, ILogger? logger = null) =>
        new(new KubeListerWatcher<ClusterSecurityPolicy>(client, KubeResource.ClusterSecurityPolicies, null,
                PolicyJsonContext.Default.ClusterSecurityPolicy, PolicyJsonContext.Default.KubeListClusterSecurityPolicy),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = KubeResource.ClusterSecurityPolicies.Plural } },
            logger);
}
