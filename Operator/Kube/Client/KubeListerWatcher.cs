using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Kube.Client;

/// <summary>The watch loop's view of one resource (a namespace or all, plus selectors) over <see cref="KubeClient"/>.</summary>
public sealed class KubeListerWatcher<T> : IListerWatcher<T> where T : class, IKubeObject
{
    private readonly KubeClient _client;
    private readonly KubeResource _resource;
    private readonly string? _namespace;
    private readonly JsonTypeInfo<T> _type;
    private readonly JsonTypeInfo<KubeList<T>> _listType;
    private readonly string? _labelSelector;
    private readonly string? _fieldSelector;

    /// <param name="namespace">null: all namespaces (or a cluster-scoped resource).</param>
    public KubeListerWatcher(KubeClient client, KubeResource resource, string? @namespace, JsonTypeInfo<T> type,
        JsonTypeInfo<KubeList<T>> listType, string? labelSelector = null, string? fieldSelector = null)
    {
        _client = client;
        _resource = resource;
        _namespace = @namespace;
        _type = type;
        _listType = listType;
        _labelSelector = labelSelector;
        _fieldSelector = fieldSelector;
    }

    public Task<KubeList<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
        _client.ListAsync(_resource, _namespace, _listType, new ListOptions
        {
            LabelSelector = _labelSelector,
            FieldSelector = _fieldSelector,
            Limit = limit,
            Continue = continueToken,
        }, cancellationToken);

    public Task<Stream> WatchAsync(string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken) =>
        _client.WatchAsync(_resource, _namespace, _labelSelector, _fieldSelector, resourceVersion, serverTimeout, cancellationToken);

    public T Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, _type)
                ?? throw new KubeResponseFormatException($"watch {_resource.Plural}: event object is JSON null");
        }
        catch (JsonException e)
        {
            throw new KubeResponseFormatException($"watch {_resource.Plural}: event object is not a valid {_resource.Kind} at {e.Path ?? "$"}: {e.Message}", e);
        }
    }
}
