using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Controllers.Audit;

/// <summary>One kind the background audit evaluates (Pod or a workload controller), behind a cluster-wide informer.
/// Non-generic so the auditor can treat the seven kinds alike.</summary>
public abstract class AuditedKind
{
    protected AuditedKind(KubeResource resource) => Resource = resource;

    public KubeResource Resource { get; }

    public string Kind => Resource.Kind;

    public abstract bool HasSynced { get; }

    public abstract Task RunAsync(CancellationToken cancellationToken);

    public abstract IReadOnlyList<IKubeObject> InNamespace(string @namespace);

    public abstract IKubeObject? Get(string @namespace, string name);

    /// <summary>The object as JSON, for the policy engine (which reads the pod template from the bytes).</summary>
    public abstract byte[] Serialize(IKubeObject obj);

    /// <summary>Calls <paramref name="changed"/> with the namespace of every added, updated or deleted object.</summary>
    public abstract void OnChange(Action<IKubeObject> changed);
}

/// <summary><see cref="AuditedKind"/> over a <see cref="SharedInformer{T}"/>.</summary>
public sealed class AuditedKind<T> : AuditedKind where T : class, IKubeObject
{
    private readonly JsonTypeInfo<T> _type;

    public AuditedKind(KubeResource resource, SharedInformer<T> informer, JsonTypeInfo<T> type) : base(resource)
    {
        Informer = informer;
        _type = type;
    }

    public SharedInformer<T> Informer { get; }

    public override bool HasSynced => Informer.HasSynced;

    public override Task RunAsync(CancellationToken cancellationToken) => Informer.RunAsync(cancellationToken);

    public override IReadOnlyList<IKubeObject> InNamespace(string @namespace) => Informer.ByIndex(SharedInformer<T>.NamespaceIndex, @namespace);

    public override IKubeObject? Get(string @namespace, string name) => Informer.Get(@namespace, name);

    public override byte[] Serialize(IKubeObject obj) => JsonSerializer.SerializeToUtf8Bytes((T)obj, _type);

    public override void OnChange(Action<IKubeObject> changed) =>
        Informer.AddEventHandler(new ResourceEventHandler<T>(o => changed(o), (_, o) => changed(o), o => changed(o)));

    public static AuditedKind<T> Create(KubeClient client, KubeResource resource, JsonTypeInfo<T> type, JsonTypeInfo<KubeList<T>> listType,
        MetricsRegistry metrics, WatcherOptions? watcher = null) =>
        new(resource, new SharedInformer<T>(new KubeListerWatcher<T>(client, resource, null, type, listType),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = resource.Plural } }), type);
}
