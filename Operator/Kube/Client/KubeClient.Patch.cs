using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

// PATCH in its four flavours, the status subresource, and Eviction.
public sealed partial class KubeClient
{
    /// <summary>PATCH with the raw patch document. A resourceVersion inside a merge patch is a precondition (409 when
    /// stale, pods-05). Server-side apply needs <see cref="WriteOptions.FieldManager"/> (the server answers 422 without it).</summary>
    public Task<T> PatchAsync<T>(KubeResource resource, string? @namespace, string name, PatchType patchType, ReadOnlyMemory<byte> patch,
        JsonTypeInfo<T> type, PatchOptions? options = null, CancellationToken cancellationToken = default) where T : class =>
        PatchAsync(resource, @namespace, name, null, patchType, patch, type, options, cancellationToken);

    public Task<T> GetStatusAsync<T>(KubeResource resource, string? @namespace, string name, JsonTypeInfo<T> type,
        CancellationToken cancellationToken = default) where T : class =>
        SendTypedAsync("get", HttpMethod.Get, resource.ObjectPath(@namespace, name, "status"), null, null, type, cancellationToken);

    /// <summary>PUT /status: only the status is written; spec changes in the body are ignored (crd-02).</summary>
    public Task<T> ReplaceStatusAsync<T>(KubeResource resource, string? @namespace, T value, JsonTypeInfo<T> type,
        WriteOptions? options = null, CancellationToken cancellationToken = default) where T : class, IKubeObject =>
        PutAsync("update", resource, @namespace, value, type, "status", options, cancellationToken);

    public Task<T> PatchStatusAsync<T>(KubeResource resource, string? @namespace, string name, PatchType patchType, ReadOnlyMemory<byte> patch,
        JsonTypeInfo<T> type, PatchOptions? options = null, CancellationToken cancellationToken = default) where T : class =>
        PatchAsync(resource, @namespace, name, "status", patchType, patch, type, options, cancellationToken);

    /// <summary>POST pods/NAME/eviction (policy/v1). Success is 201 with a Status {status: Success} (pods-11); a
    /// PodDisruptionBudget that allows no disruption throws <see cref="KubeTooManyRequestsException"/> with
    /// IsDisruptionBudget, a missing pod <see cref="KubeNotFoundException"/>.</summary>
    public Task<Status> EvictAsync(string @namespace, string podName, DeleteOptions? deleteOptions = null,
        CancellationToken cancellationToken = default)
    {
        var eviction = new Eviction
        {
            Metadata = new ObjectMeta { Name = podName, Namespace = @namespace },
            DeleteOptions = deleteOptions,
        };
        return SendTypedAsync("create", HttpMethod.Post, KubeResource.Pods.ObjectPath(@namespace, podName, "eviction"),
            Encode(eviction, KubeJsonContext.Default.Eviction), "application/json", KubeJsonContext.Default.Status, cancellationToken);
    }

    private Task<T> PatchAsync<T>(KubeResource resource, string? @namespace, string name, string? subresource, PatchType patchType,
        ReadOnlyMemory<byte> patch, JsonTypeInfo<T> type, PatchOptions? options, CancellationToken cancellationToken) where T : class
    {
        if (patchType == PatchType.Apply && string.IsNullOrEmpty(options?.FieldManager))
            throw new ArgumentException("server-side apply needs PatchOptions.FieldManager (the API server rejects it otherwise)", nameof(options));
        if (patchType != PatchType.Apply && options?.Force == true)
            throw new ArgumentException("force applies only to server-side apply", nameof(options));
        var path = new KubeQuery(resource.ObjectPath(@namespace, name, subresource)).Add(options).ToString();
        return SendTypedAsync("patch", HttpMethod.Patch, path, patch, patchType.ContentType(), type, cancellationToken);
    }
}
