using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecurityOperator.Tests.Kube.ApiServer.Http;
using SecurityOperator.Tests.Kube.ApiServer.Operations;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>An in-process kube-apiserver (v1.28 behaviour, from /work/shared/k8s-api-transcripts) on 127.0.0.1 over
/// HTTPS with its own CA. Start one per test: <c>await using var api = await ApiServerDouble.StartAsync();</c></summary>
public sealed class ApiServerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SelfSignedCertificates _certificates;
    private readonly ResourceRegistry _registry;
    private readonly ObjectStore _store;
    private readonly ObjectOperations _operations;
    private readonly Authenticator _authenticator;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly Evictions _evictions;
    private readonly ConcurrentDictionary<HttpContext, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();

    private ApiServerDouble(WebApplication app, SelfSignedCertificates certificates, ResourceRegistry registry, ObjectStore store,
        ObjectOperations operations, Authenticator authenticator, FaultInjector faults, RequestLog log, Evictions evictions, string token)
    {
        _app = app;
        _certificates = certificates;
        _registry = registry;
        _store = store;
        _operations = operations;
        _authenticator = authenticator;
        _faults = faults;
        _log = log;
        _evictions = evictions;
        BearerToken = token;
    }

    /// <summary>https://127.0.0.1:PORT (no trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>PEM of the CA that signed the serving certificate (certificate-authority-data, base64 of this).</summary>
    public string CaCertificatePem => _certificates.CaPem;

    /// <summary>Token of the admin user (system:masters: may do everything).</summary>
    public string BearerToken { get; }

    /// <summary>Every request received, oldest first (bounded, see options).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>The newest resourceVersion (etcd revision) of the double.</summary>
    public long ResourceVersion => _store.Revision;

    public static async Task<ApiServerDouble> StartAsync(ApiServerDoubleOptions? options = null)
    {
        options ??= new ApiServerDoubleOptions();
        var certificates = new SelfSignedCertificates();
        var registry = new ResourceRegistry();
        if (options.RegisterCommonResources)
            foreach (var type in ResourceCatalog.Common) registry.Register(type);
        var store = new ObjectStore(options.InitialResourceVersion, options.EventHistoryCapacity);
        var operations = new ObjectOperations(store, options.Time);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var authenticator = new Authenticator(token);
        var faults = new FaultInjector();
        var log = new RequestLog(options.RequestLogCapacity);
        var evictions = new Evictions(operations, store);
        var handler = new ApiRequestHandler(registry, store, operations, new WatchHandler(store, options), evictions, authenticator, faults, log, options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Server));
            kestrel.Limits.MaxRequestBodySize = null; // the handler enforces MaxRequestBodyBytes with the server's 413 Status
        });
        var app = builder.Build();
        var api = new ApiServerDouble(app, certificates, registry, store, operations, authenticator, faults, log, evictions, token);
        app.Run(async context =>
        {
            api._inFlight[context] = 0;
            try { await handler.HandleAsync(context, api._stopping.Token); }
            finally { api._inFlight.TryRemove(context, out _); }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'));
        handler.ServerAddress = $"{api.BaseAddress.Host}:{api.BaseAddress.Port}";
        foreach (var ns in options.InitialNamespaces)
            api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        return api;
    }

    /// <summary>Serve another kind (e.g. <see cref="ResourceCatalog.PolicyReports"/>, or one built with
    /// <see cref="ResourceType.From"/>). It appears in discovery at once.</summary>
    public void Register(ResourceType type) => _registry.Register(type);

    /// <summary>Puts an object straight into the store through the create path (defaults, uid, creationTimestamp, a
    /// new resourceVersion, an ADDED event) without HTTP or authorization; its namespace is created if missing. A uid
    /// and creationTimestamp in the object are kept (so a test can seed a recorded object as it was).
    /// Throws <see cref="StatusError"/> when the server would refuse the object (e.g. 409 AlreadyExists, 422).</summary>
    public StoredObjectView Seed(ResourceType type, JsonObject obj, string fieldManager = "test-seed")
    {
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : "";
        if (type.Namespaced && _store.Get(ResourceCatalog.Namespaces, "", ns) is null)
            Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        return _operations.Create(type, ns, obj, new WriteContext(fieldManager, SkipNamespaceCheck: true, KeepIdentity: true)).Object!;
    }

    /// <summary>Seeds an object given as JSON text; its kind is found from apiVersion and kind.</summary>
    public StoredObjectView Seed(string json)
    {
        var obj = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));
        var type = _registry.FindByKind(obj["apiVersion"]?.GetValue<string>() ?? "", obj["kind"]?.GetValue<string>() ?? "")
                   ?? throw new ArgumentException($"no registered kind for apiVersion '{obj["apiVersion"]}' kind '{obj["kind"]}'", nameof(json));
        return Seed(type, obj);
    }

    /// <summary>Replaces an object unconditionally (a MODIFIED event), as a PUT without resourceVersion would.</summary>
    public StoredObjectView Update(ResourceType type, JsonObject obj, string fieldManager = "test-seed")
    {
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : "";
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("metadata.name is required", nameof(obj));
        var body = (JsonObject)obj.DeepClone();
        if (body["metadata"] is JsonObject m) m.Remove("resourceVersion");
        var result = type.AllowUnconditionalUpdate
            ? _operations.Replace(type, ns, name, null, body, new WriteContext(fieldManager))
            : _operations.Replace(type, ns, name, null, WithResourceVersion(body, Get(type, ns, name)), new WriteContext(fieldManager));
        return result.Object ?? Get(type, ns, name)!;
    }

    private static JsonObject WithResourceVersion(JsonObject body, StoredObjectView? current)
    {
        if (current is null) return body;
        ((JsonObject)body["metadata"]!)["resourceVersion"] = current.ResourceVersion.ToString();
        return body;
    }

    /// <summary>Replaces the status of an object (as PUT .../status would).</summary>
    public StoredObjectView SetStatus(ResourceType type, string @namespace, string name, JsonObject status)
    {
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["status"] = status.DeepClone() };
        return _operations.Replace(type, @namespace, name, "status", body, new WriteContext("test-seed")).Object ?? Get(type, @namespace, name)!;
    }

    /// <summary>Deletes as a DELETE without options would (pods: graceful when bound to a node).</summary>
    public void Delete(ResourceType type, string @namespace, string name) =>
        _operations.Delete(type, type.Namespaced ? @namespace : "", name, new DeleteRequest());

    /// <summary>The stored object (a copy), or null.</summary>
    public StoredObjectView? Get(ResourceType type, string @namespace, string name) =>
        _store.Get(type, type.Namespaced ? @namespace : "", name) is { } stored ? ObjectOperations.View(stored) : null;

    /// <summary>All current objects of a type (optionally in one namespace), in key order.</summary>
    public IReadOnlyList<StoredObjectView> List(ResourceType type, string? @namespace = null) =>
        _store.Snapshot(type, @namespace, _store.Revision).Select(ObjectOperations.View).ToList();

    /// <summary>Adds a user that authenticates with <paramref name="token"/> but has no RBAC: every resource request is
    /// 403 with the recorded message (errors-403), discovery is allowed.</summary>
    public void AddUnprivilegedUser(string token, string username) => _authenticator.AddUnprivilegedUser(token, username);

    /// <summary>The next <paramref name="times"/> requests whose method matches (null or "*" = any) and whose
    /// path+query contains <paramref name="pathContains"/> get this Status instead of being served.</summary>
    public void FailNext(string? method, string pathContains, int statusCode, string reason, string? message = null,
        int times = 1, int? retryAfterSeconds = null)
    {
        var headers = new Dictionary<string, string>();
        if (retryAfterSeconds is { } s) headers["Retry-After"] = s.ToString();
        var details = retryAfterSeconds is { } r ? new JsonObject { ["retryAfterSeconds"] = r } : null;
        _faults.Add(method, pathContains, statusCode,
            StatusErrors.Failure(statusCode, reason, message ?? $"injected failure {statusCode} {reason}", details), times, headers);
    }

    /// <summary>Same, with a caller-built Status body.</summary>
    public void FailNext(string? method, string pathContains, int statusCode, JsonObject statusBody, int times = 1) =>
        _faults.Add(method, pathContains, statusCode, statusBody, times, new Dictionary<string, string>());

    /// <summary>Drops history up to <paramref name="resourceVersion"/>: later watches from older versions get the
    /// in-stream ERROR 410, continue tokens and Exact lists from older versions get HTTP 410 (watch-03).</summary>
    public void CompactBefore(long resourceVersion) => _store.Compact(resourceVersion);

    /// <summary>Makes every resourceVersion handed out so far too old: the revision jumps ahead, history is compacted
    /// there, and open watches end normally, so their re-watch gets ERROR 410 and the client must relist.</summary>
    public void ExpireAllWatches()
    {
        var revision = _store.AdvanceRevision(1);
        _store.Compact(revision);
        CloseWatches();
    }

    /// <summary>Ends every open watch with an ordinary end of the chunked body (like timeoutSeconds running out).</summary>
    public void CloseWatches()
    {
        lock (_store.Gate)
            foreach (var sub in _store.Watches.Snapshot()) sub.End();
    }

    /// <summary>Aborts every in-flight request's connection (watches included): the client sees a reset mid-stream,
    /// as when kube-apiserver restarts.</summary>
    public void ResetConnections()
    {
        foreach (var context in _inFlight.Keys) context.Abort();
    }

    /// <summary>Makes evictions of non-Pending pods matching <paramref name="labelSelector"/> in the namespace fail with
    /// 429 as if the named PodDisruptionBudget allowed no disruption (pods-11).</summary>
    public void BlockEvictions(string @namespace, string labelSelector, string budgetName, int needsHealthy = 1, int hasHealthy = 1) =>
        _evictions.Block(@namespace, labelSelector, budgetName, needsHealthy, hasHealthy);

    public void ClearRequestLog() => _log.Clear();

    /// <summary>An HttpClient that trusts the double's CA and sends the admin token (for tests that talk raw HTTP).</summary>
    public HttpClient CreateHttpClient(string? bearerToken = null, string userAgent = "transcript-recorder/1.0")
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => _certificates.Validate(cert, errors);
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var token = bearerToken ?? BearerToken;
        if (token.Length > 0) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>Writes a kubeconfig (JSON, which YAML readers accept) with one cluster/user/context pointing here, and
    /// returns its path.</summary>
    public string WriteKubeconfig(string path, string? @namespace = "default")
    {
        var context = new JsonObject { ["cluster"] = "apiserver-double", ["user"] = "admin" };
        if (@namespace is not null) context["namespace"] = @namespace;
        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["name"] = "apiserver-double",
                ["cluster"] = new JsonObject
                {
                    ["server"] = BaseAddress.ToString().TrimEnd('/'),
                    ["certificate-authority-data"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CaCertificatePem)),
                },
            }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = "admin", ["user"] = new JsonObject { ["token"] = BearerToken } }),
            ["contexts"] = new JsonArray(new JsonObject { ["name"] = "apiserver-double", ["context"] = context }),
            ["current-context"] = "apiserver-double",
        };
        File.WriteAllText(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        CloseWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificates.Dispose();
        _stopping.Dispose();
    }
}
