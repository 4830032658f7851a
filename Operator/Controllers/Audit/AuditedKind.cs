using System.Buffers;
using System.Runtime.CompilerServices;
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

    /// <summary>The object as JSON, for the policy engine (which reads the pod template from the bytes), written into
    /// <paramref name="buffer"/> (cleared first) so a pass over thousands of objects reuses one buffer per thread.</summary>
    public abstract ReadOnlySpan<byte> Serialize(IKubeObject obj, ArrayBufferWriter<byte> buffer);

    /// <summary>Calls <paramref name="changed"/> with the namespace of every added, updated or deleted object.</summary>
    public abstract void OnChange(Action<IKubeObject> changed);
}

/// <summary><see cref="AuditedKind"/> over a <see cref="SharedInformer{T}"/>.</summary>
public sealed class AuditedKind<T> : AuditedKind where T : class, IKubeObject
{
    private readonly JsonTypeInfo<T> _type;
    // The evaluator's JSON of each cached object (see CacheAsJson), compressed, tied to the very instance the cache
    // holds, so an object and its bytes always belong to the same resourceVersion.
    private readonly ConditionalWeakTable<T, byte[]> _json = new();
    private readonly CachedJsonCompressor _compressor = new();

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

    public override ReadOnlySpan<byte> Serialize(IKubeObject obj, ArrayBufferWriter<byte> buffer)
    {
        if (_json.TryGetValue((T)obj, out var json)) return _compressor.Decompress(json, buffer);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer)) JsonSerializer.Serialize(writer, (T)obj, _type);
        return buffer.WrittenSpan;
    }

    /// <summary>Calls <paramref name="visit"/> with the namespace, name and JSON (<see cref="Serialize"/>) of every cached
    /// object, decompressed one after another into one buffer: the memory is valid only during the call.</summary>
    public void ForEachJson(Action<string, string, ReadOnlyMemory<byte>> visit)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        foreach (var obj in Informer.List())
        {
            Serialize(obj, buffer);
            visit(obj.Metadata.Namespace ?? "", obj.Metadata.Name ?? "", buffer.WrittenMemory);
        }
    }

    /// <summary>Makes the informer keep each object as two parts: the JSON the evaluator reads (the object as
    /// <paramref name="evaluated"/> returns it, serialized once when the object arrives) and a typed remainder with what
    /// the controller reads directly (the object after <paramref name="trim"/>). The JSON is kept compressed against a
    /// dictionary of this kind's first objects (<see cref="CachedJsonCompressor"/>) and decompressed into the caller's
    /// buffer by <see cref="Serialize"/>. The typed form with its unknown fields costs several times its JSON;
    /// re-serializing it for every audit cost an allocation per object. Call before the informer runs.</summary>
    public void CacheAsJson(Func<T, T> evaluated, Action<T> trim) =>
        Informer.SetTransform(obj =>
        {
            // Replicas are told apart from distinct objects by their owner, for the compressor's dictionary.
            var owner = obj.Metadata.OwnerReferences is [var first, ..] ? first.Uid : obj.Metadata.Uid;
            var json = _compressor.Compress(JsonSerializer.SerializeToUtf8Bytes(evaluated(obj), _type), owner);
            trim(obj);
            _json.AddOrUpdate(obj, json);
            return obj;
        });

    public override void OnChange(Action<IKubeObject> changed) =>
        Informer.AddEventHandler(new ResourceEventHandler<T>(o => changed(o), (_, o) => changed(o), o => changed(o)));

    public static AuditedKind<T> Create(KubeClient client, KubeResource resource, JsonTypeInfo<T> type, JsonTypeInfo<KubeList<T>> listType,
        MetricsRegistry metrics, WatcherOptions? watcher = null) =>
        new(resource, new SharedInformer<T>(new KubeListerWatcher<T>(client, resource, null, type, listType),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new WatcherOptions()) with { ResourceName = resource.Plural } }), type);
}
