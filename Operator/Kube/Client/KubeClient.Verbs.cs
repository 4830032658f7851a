using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

// get, list, create, replace (PUT), delete. Every method takes the source-generated JsonTypeInfo of its type
// (KubeJsonContext.Default.Pod, ...), so nothing here uses reflection.
public sealed partial class KubeClient
{
    /// <summary>client-go's pager default page size (tools/pager.defaultPageSize = 500).</summary>
    public const int DefaultPageSize = 500;

    public Task<T> GetAsync<T>(KubeResource resource, string? @namespace, string name, JsonTypeInfo<T> type,
        CancellationToken cancellationToken = default) where T : class =>
        SendTypedAsync("get", HttpMethod.Get, resource.ObjectPath(@namespace, name), null, null, type, cancellationToken);

    /// <summary>One LIST page (or the whole collection when <see cref="ListOptions.Limit"/> is null). A null namespace
    /// lists a namespaced resource across all namespaces.</summary>
    public Task<KubeList<T>> ListAsync<T>(KubeResource resource, string? @namespace, JsonTypeInfo<KubeList<T>> type,
        ListOptions? options = null, CancellationToken cancellationToken = default) where T : IKubeObject =>
        GetStreamedAsync("list", new KubeQuery(resource.CollectionPath(@namespace)).Add(options).ToString(), type, cancellationToken);

    /// <summary>Every page, <paramref name="pageSize"/> items at a time, following continue tokens. The result carries
    /// the first page's resourceVersion (all pages share that snapshot: pods-03). If a continue token expires (410,
    /// watch-03) the list restarts once without paging, as client-go's pager does (FullListIfExpired).</summary>
    public async Task<KubeList<T>> ListAllAsync<T>(KubeResource resource, string? @namespace, JsonTypeInfo<KubeList<T>> type,
        ListOptions? options = null, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default) where T : IKubeObject
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var first = await ListAsync(resource, @namespace, type, (options ?? new ListOptions()) with { Limit = pageSize, Continue = null },
            cancellationToken).ConfigureAwait(false);
        var all = first;
        var next = first.Metadata.Continue;
        while (!string.IsNullOrEmpty(next))
        {
            KubeList<T> page;
            try
            {
                page = await ListAsync(resource, @namespace, type, (options ?? new ListOptions()) with { Limit = pageSize, Continue = next },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (KubeGoneException)
            {
                return await ListAsync(resource, @namespace, type, (options ?? new ListOptions()) with { Limit = null, Continue = null },
                    cancellationToken).ConfigureAwait(false);
            }
            all.Items.AddRange(page.Items);
            next = page.Metadata.Continue;
        }
        all.Metadata.Continue = null;
        all.Metadata.RemainingItemCount = null;
        return all;
    }

    /// <summary>POST. The answer is the stored object (defaulted, with uid and resourceVersion).</summary>
    public Task<T> CreateAsync<T>(KubeResource resource, string? @namespace, T value, JsonTypeInfo<T> type,
        WriteOptions? options = null, CancellationToken cancellationToken = default) where T : class, IKubeObject
    {
        var path = new KubeQuery(resource.CollectionPath(NamespaceFor(resource, @namespace, value))).Add(options).ToString();
        return SendTypedAsync("create", HttpMethod.Post, path, Encode(value, type), "application/json", type, cancellationToken);
    }

    /// <summary>PUT. With metadata.resourceVersion set the write is conditional (stale: 409 Conflict, pods-09).</summary>
    public Task<T> ReplaceAsync<T>(KubeResource resource, string? @namespace, T value, JsonTypeInfo<T> type,
        WriteOptions? options = null, CancellationToken cancellationToken = default) where T : class, IKubeObject =>
        PutAsync("update", resource, @namespace, value, type, null, options, cancellationToken);

    /// <summary>DELETE with optional DeleteOptions (propagation policy, preconditions, grace period, dry run).</summary>
    public async Task<KubeDeleteResult<T>> DeleteAsync<T>(KubeResource resource, string? @namespace, string name, JsonTypeInfo<T> type,
        DeleteOptions? options = null, CancellationToken cancellationToken = default) where T : class
    {
        var path = resource.ObjectPath(@namespace, name);
        byte[]? body = options is null ? null : Encode(options, KubeJsonContext.Default.DeleteOptions);
        var response = await SendCheckedAsync("delete", HttpMethod.Delete, path, body, "application/json", cancellationToken).ConfigureAwait(false);
        return JsonKind.Read(response.Body) == "Status" && typeof(T) != typeof(Status)
            ? new KubeDeleteResult<T>(null, Decode(response.Body, KubeJsonContext.Default.Status, HttpMethod.Delete, path))
            : new KubeDeleteResult<T>(Decode(response.Body, type, HttpMethod.Delete, path), null);
    }

    private Task<T> PutAsync<T>(string verb, KubeResource resource, string? @namespace, T value, JsonTypeInfo<T> type,
        string? subresource, WriteOptions? options, CancellationToken cancellationToken) where T : class, IKubeObject
    {
        var name = value.Metadata.Name;
        if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{resource.Kind}: metadata.name is required to replace an object", nameof(value));
        var path = new KubeQuery(resource.ObjectPath(NamespaceFor(resource, @namespace, value), name, subresource)).Add(options).ToString();
        return SendTypedAsync(verb, HttpMethod.Put, path, Encode(value, type), "application/json", type, cancellationToken);
    }

    /// <summary>The explicit namespace, else the object's own; cluster-scoped kinds have none.</summary>
    private static string? NamespaceFor(KubeResource resource, string? @namespace, IKubeObject value)
    {
        if (!resource.Namespaced) return null;
        var result = string.IsNullOrEmpty(@namespace) ? value.Metadata.Namespace : @namespace;
        if (string.IsNullOrEmpty(result))
            throw new ArgumentException($"{resource.Kind} is namespaced: pass a namespace or set metadata.namespace", nameof(@namespace));
        return result;
    }
}
