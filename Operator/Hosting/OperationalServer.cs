using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Logging;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Hosting;

/// <summary>The plain-HTTP listener every cluster role runs on --metrics-address: /metrics, /healthz, /readyz.
/// Kestrel with tight limits: these endpoints are scraped and probed, never sent large bodies.</summary>
public sealed class OperationalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationalServer(WebApplication app) => _app = app;

    public static async Task<OperationalServer> StartAsync(IPEndPoint endpoint, MetricsRegistry metrics, HealthState health,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken, OperationalDocuments? documents = null)
    {
        documents ??= new OperationalDocuments();
        var builder = WebApplication.CreateSlimBuilder();
        // The framework logs through the process's JSON logger, but per-request lines (Microsoft.AspNetCore.*) only
        // from Warning up: the kubelet probes every few seconds and Prometheus scrapes often; none is worth a line.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // ":PORT" means every interface: ListenAnyIP binds [::] and falls back to 0.0.0.0 where IPv6 is disabled.
            if (endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.Equals(IPAddress.Any)) kestrel.ListenAnyIP(endpoint.Port);
            else kestrel.Listen(endpoint);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        });
        var app = builder.Build();
        var requests = metrics.CreateCounter("security_operator_operational_requests_total",
            "Requests to the metrics and health endpoints by path and status code.", "path", "code");
        app.Run(context => HandleAsync(context, metrics, health, documents, requests));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new OperationalServer(app);
    }

    /// <summary>The bound address(es), e.g. http://127.0.0.1:41234 when port 0 was asked for.</summary>
    public IReadOnlyCollection<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    private static async Task HandleAsync(HttpContext context, MetricsRegistry metrics, HealthState health, OperationalDocuments documents, Counter requests)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            requests.WithLabels("other", "405").Inc();
            return;
        }
        (int Code, string ContentType, string Body) answer = path switch
        {
            "/metrics" => (200, MetricsRegistry.ContentType, metrics.Render()),
            "/healthz" or "/livez" => Probe(health.Live()),
            "/readyz" => Probe(health.Ready()),
            _ => documents.Answer(path) ?? (404, "text/plain; charset=utf-8", $"404 page not found: {path}\n"),
        };
        requests.WithLabels(answer.Code == 404 ? "other" : path, answer.Code.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        context.Response.StatusCode = answer.Code;
        context.Response.ContentType = answer.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.WriteAsync(answer.Body).ConfigureAwait(false);
    }

    private static (int, string, string) Probe((bool Ok, string Report) result) =>
        (result.Ok ? 200 : 503, "text/plain; charset=utf-8", result.Report);

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
