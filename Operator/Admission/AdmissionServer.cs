using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Logging;

namespace SecurityOperator.Admission;

/// <summary>The webhook's HTTPS listener: Kestrel (slim builder), TLS 1.2/1.3 with the certificate chosen per handshake
/// from <see cref="CertificateReloader"/>, the limits of <see cref="AdmissionServerOptions"/>, and
/// <see cref="AdmissionHttpHandler"/> for every request.</summary>
public sealed class AdmissionServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>The logger category of ASP.NET Core's per-request hosting diagnostics (HostingApplicationDiagnostics).</summary>
    internal const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private AdmissionServer(WebApplication app) => _app = app;

    /// <summary>The host's services (tests inspect its logging configuration).</summary>
    internal IServiceProvider Services => _app.Services;

    public static async Task<AdmissionServer> StartAsync(AdmissionServerOptions options, AdmissionReviewer reviewer, CertificateReloader certificates,
        AdmissionMetrics metrics, HealthState health, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Framework lines only from Warning up: a line per admission request would drown the log.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Not even Critical for the hosting layer's per-request diagnostics: while its logger is enabled at any level,
        // ASP.NET Core starts an Activity, a log scope and a trace identifier for every request (about 3 % of the
        // server's CPU and most of its allocations per request in a profile under load), all for lines this provider
        // drops (JsonLineLogger has no scopes; request start/finish lines are Information). Its only other lines are
        // startup failures, which StartAsync throws to the caller anyway.
        builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            // A per-connection callback rather than a certificate selector: only the callback can hand over a
            // certificate context, which carries the intermediates to send (see CertificateReloader).
            void Https(ListenOptions listen) => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(certificates.ServerOptions),
                HandshakeTimeout = options.HandshakeTimeout,
            });
            var endpoint = options.Listen;
            // ":PORT" means every interface: ListenAnyIP binds [::] and falls back to 0.0.0.0 where IPv6 is disabled.
            if (endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.Equals(IPAddress.Any)) kestrel.ListenAnyIP(endpoint.Port, Https);
            else kestrel.Listen(endpoint, Https);
        });
        var app = builder.Build();
        var handler = new AdmissionHttpHandler(reviewer, metrics, health, options, loggerFactory.CreateLogger("admission"));
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new AdmissionServer(app);
    }

    /// <summary>The bound address(es), e.g. https://127.0.0.1:41234 when port 0 was asked for.</summary>
    public IReadOnlyCollection<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>Stops accepting connections and lets requests in flight finish (bounded by <paramref name="drain"/>).</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        using var deadline = new CancellationTokenSource(drain);
        await _app.StopAsync(deadline.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
