using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>What the test server received.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body,
    string? ClientCertificateThumbprint)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>A minimal HTTPS server on 127.0.0.1 (Kestrel, port 0) that answers canned responses by method and path+query,
/// in the order they were queued (the last one repeats). It is not an API server double: it knows nothing about Kubernetes.</summary>
internal sealed class CannedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Route> _routes = new();

    public Uri Url { get; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private CannedApiServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<CannedApiServer> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        })));
        var app = builder.Build();
        CannedApiServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new CannedApiServer(app, new Uri(address));
        return server;
    }

    public CannedApiServer Respond(string method, string pathAndQuery, CannedResponse response) =>
        Handle(method, pathAndQuery, context => WriteAsync(context, response));

    public CannedApiServer Respond(CannedExchange exchange) => Respond(exchange.Method, exchange.PathAndQuery, exchange.Response);

    public CannedApiServer Handle(string method, string pathAndQuery, Func<HttpContext, Task> handler)
    {
        var route = _routes.GetOrAdd($"{method} {pathAndQuery}", _ => new Route());
        lock (route) route.Handlers.Add(handler);
        return this;
    }

    public RecordedRequest Single() => Assert.Single(Requests);

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(context.Request.Method, pathAndQuery, headers, body.ToArray(),
            context.Connection.ClientCertificate?.Thumbprint));
        if (!_routes.TryGetValue($"{context.Request.Method} {pathAndQuery}", out var route))
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync($"no canned response for {context.Request.Method} {pathAndQuery}");
            return;
        }
        Func<HttpContext, Task> handler;
        lock (route) handler = route.Handlers[Math.Min(route.Served++, route.Handlers.Count - 1)];
        await handler(context);
    }

    public static async Task WriteAsync(HttpContext context, CannedResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) context.Response.Headers.Append(name, value);
        await context.Response.Body.WriteAsync(response.Body);
    }

    /// <summary>The answers queued for one method and path: each is served once, in order, and the last one repeats.</summary>
    private sealed class Route
    {
        public List<Func<HttpContext, Task>> Handlers { get; } = new();
        public int Served { get; set; }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
