using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Kube.Informers;

/// <summary>Informers over built-in kinds that several roles share.</summary>
public static class CoreInformers
{
    /// <summary>Every Namespace of the cluster (for namespace selectors: their labels).</summary>
    public static SharedInformer<Namespace> Namespaces(KubeClient client, MetricsRegistry metrics, WatcherOptions? watcher = null, ILogger? logger = null) =>
        new(new KubeListerWatcher<Namespace>(client, KubeResource.Namespaces, null, KubeJsonContext.Default.Namespace, KubeJsonContext.Default.KubeListNamespace),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = KubeResource.Namespaces.Plural } },
            logger);
}
