using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SecurityOperator.Tests.Kube.ApiServer.Http;
using SecurityOperator.Tests.Kube.ApiServer.Operations;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The request pipeline: log, injected faults, authentication (401), discovery, authorization (403, before
/// any existence check: errors-403 REQUEST 4), routing (text/plain 404 for unserved groups, Status 404 for unknown
/// resources: errors-404), then the verb handlers. A <see cref="StatusError"/> anywhere becomes its Status response.</summary>
internal sealed class ApiRequestHandler(
    ResourceRegistry registry, ObjectStore store, ObjectOperations operations, WatchHandler watches, Evictions evictions,
    Authenticator authenticator, FaultInjector faults, RequestLog log, ApiServerDoubleOptions options)
{
    public string ServerAddress { get; set; } = "";

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var query = request.QueryString.Value?.TrimStart('?') ?? "";
        log.Add(new RecordedRequest(request.Method, path, query, request.ContentType, request.Headers.UserAgent.ToString()));
        try
        {
            if (faults.Take(request.Method, query.Length > 0 ? $"{path}?{query}" : path) is { } fault) throw fault;
            var identity = authenticator.Authenticate(request.Headers.Authorization.ToString()) ?? throw StatusErrors.Unauthorized();
            if (RequestTarget.Parse(path) is not { } parsed)
            {
                await Responses.WritePageNotFoundAsync(context);
                return;
            }
            if (parsed.Discovery != RequestTarget.DiscoveryKind.None)
            {
                await ServeDiscoveryAsync(context, parsed.Discovery, parsed.Group, parsed.Version);
                return;
            }
            var target = parsed.Target!;
            var type = registry.Find(target.Group, target.Version, target.Plural);
            var watch = ListQuery.IsWatch(request.Query);
            if (!identity.Authorized)
                throw StatusErrors.Forbidden(type ?? new ResourceType(target.Group, target.Version, target.Plural, "", "", true),
                    target.Name, target.Verb(request.Method, watch), identity.User, target.Namespace);
            if (!registry.Serves(target.Group, target.Version))
            {
                await Responses.WritePageNotFoundAsync(context);
                return;
            }
            if (type is null || (target.Namespace is not null && !type.Namespaced) || !SubresourceExists(type, target.Subresource))
                throw StatusErrors.UnknownResource();
            await DispatchAsync(context, type, target, watch, stopping);
        }
        catch (StatusError error)
        {
            if (!context.Response.HasStarted) await Responses.WriteErrorAsync(context, error);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in the double or input it cannot handle: answer like kube-apiserver's panic handler (500 InternalError)
            // with the exception text, so the failing test shows the cause.
            await Responses.WriteErrorAsync(context, new StatusError(500, StatusErrors.Failure(500, "InternalError",
                $"Internal error occurred: {e.GetType().Name}: {e.Message}", new JsonObject { ["causes"] = new JsonArray(
                    new JsonObject { ["message"] = e.ToString() }) })));
        }
    }

    private static bool SubresourceExists(ResourceType type, string? subresource) =>
        subresource is null || (subresource == "status" && type.HasStatusSubresource) || type.ExtraSubresources.Contains(subresource);

    private async Task DispatchAsync(HttpContext context, ResourceType type, RequestTarget target, bool watch, CancellationToken stopping)
    {
        var request = context.Request;
        var ns = type.Namespaced ? target.Namespace : null;
        var write = new WriteContext(
            WriteContext.ManagerFrom(request.Query["fieldManager"], request.Headers.UserAgent),
            DryRun: request.Query["dryRun"] == "All");
        switch (request.Method)
        {
            case "GET" when target.Name is null:
            {
                var query = ListQuery.Parse(request.Query, type);
                if (watch) await watches.ServeAsync(context, type, ns, query, stopping);
                else await Responses.WriteJsonAsync(context, 200, ListHandler.List(store, type, ns, query));
                return;
            }
            case "GET":
            {
                var stored = store.Get(type, ns ?? "", target.Name) ?? throw StatusErrors.NotFound(type, target.Name);
                await Responses.WriteJsonAsync(context, 200, stored.Json);
                return;
            }
            case "POST" when target.Name is null:
                RequireNamespace(type, ns);
                await SendAsync(context, operations.Create(type, ns ?? "", await ReadObjectAsync(context, type), write));
                return;
            case "POST" when target.Subresource == "eviction":
            {
                var body = await ReadBodyAsync(context);
                var options = body.Length == 0 ? null : ParseObject(body, "Eviction")["deleteOptions"] as JsonObject;
                await SendAsync(context, evictions.Evict(ns!, target.Name, DeleteRequest.From(options, request.Query)));
                return;
            }
            case "PUT" when target.Name is not null:
                await SendAsync(context, operations.Replace(type, ns ?? "", target.Name, target.Subresource, await ReadObjectAsync(context, type), write));
                return;
            case "PATCH" when target.Name is not null:
            {
                var body = await ReadBodyAsync(context);
                var kind = ObjectOperations.PatchKindOf(request.ContentType);
                // Apply needs an explicit fieldManager (pods-08 REQUEST 2); other patches default it from the User-Agent.
                if (kind == PatchKind.Apply) write = write with { FieldManager = request.Query["fieldManager"].ToString() };
                var force = request.Query["force"] == "true";
                await SendAsync(context, operations.Patch(type, ns ?? "", target.Name, target.Subresource, request.ContentType, body, write, force));
                return;
            }
            case "DELETE" when target.Name is not null:
            {
                var body = await ReadBodyAsync(context);
                var options = body.Length == 0 ? null : ParseObject(body, "DeleteOptions");
                await SendAsync(context, operations.Delete(type, ns ?? "", target.Name, DeleteRequest.From(options, request.Query)));
                return;
            }
            case "DELETE" when type.SupportsDeleteCollection:
                await DeleteCollectionAsync(context, type, ns);
                return;
        }
        throw new StatusError(405, StatusErrors.Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
    }

    /// <summary>deletecollection: deletes every object matching the selectors. SIMPLIFICATION: answers a Success
    /// Status instead of the list of deleted objects.</summary>
    private async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = ListQuery.Parse(context.Request.Query, type);
        foreach (var o in store.Snapshot(type, ns, store.Revision).Where(o => query.Labels.Matches(o.Labels) && query.Fields.Matches(o.Node)))
        {
            try { operations.Delete(type, o.Namespace, o.Name, DeleteRequest.From(null, context.Request.Query)); }
            catch (StatusError e) when (e.Code == 404) { } // deleted concurrently
        }
        await Responses.WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
        });
    }

    private static void RequireNamespace(ResourceType type, string? ns)
    {
        if (type.Namespaced && ns is null) throw StatusErrors.UnknownResource();
    }

    private static async Task SendAsync(HttpContext context, WriteResult result) =>
        await Responses.WriteJsonAsync(context, result.Code, result.Body);

    private async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceType type) =>
        ParseObject(await ReadBodyAsync(context), type.Kind);

    /// <summary>errors-422 REQUEST 5: a body that is not JSON is a 400 quoting the first 30 characters.</summary>
    private static JsonObject ParseObject(byte[] body, string kind)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            var text = Encoding.UTF8.GetString(body);
            var reason = IsTruncated(body) ? "unexpected end of JSON input" : e.Message;
            var snippet = text.Length > 30 ? text[..30] + " ..." : text;
            throw StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {kind}): couldn't get version/kind; json parse error: {reason} ({snippet})");
        }
    }

    // Valid so far but incomplete: Go's decoder calls that "unexpected end of JSON input".
    private static bool IsTruncated(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException) { return false; }
    }

    /// <summary>Reads the body up to the configured limit (413 beyond it).</summary>
    private async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > options.MaxRequestBodyBytes) throw StatusErrors.TooLarge(options.MaxRequestBodyBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task ServeDiscoveryAsync(HttpContext context, RequestTarget.DiscoveryKind kind, string group, string version)
    {
        var types = registry.All;
        switch (kind)
        {
            case RequestTarget.DiscoveryKind.Version:
                await Responses.WriteJsonAsync(context, 200, JsonOutput.ToIndentedBytes(Discovery.Version()));
                return;
            case RequestTarget.DiscoveryKind.ApiVersions:
                await Responses.WriteJsonAsync(context, 200, Discovery.ApiVersions(ServerAddress));
                return;
            case RequestTarget.DiscoveryKind.GroupList:
                await Responses.WriteJsonAsync(context, 200, Discovery.GroupList(types));
                return;
            case RequestTarget.DiscoveryKind.Group when types.Any(t => t.Group == group):
                var g = Discovery.Group(types, group);
                g.Insert(0, "kind", "APIGroup");
                g.Insert(1, "apiVersion", "v1");
                await Responses.WriteJsonAsync(context, 200, g);
                return;
            case RequestTarget.DiscoveryKind.ResourceList when types.Any(t => t.Group == group && t.Version == version):
                await Responses.WriteJsonAsync(context, 200, Discovery.ResourceList(types, group, version));
                return;
        }
        await Responses.WritePageNotFoundAsync(context);
    }
}
