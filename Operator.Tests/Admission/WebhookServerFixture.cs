using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Tests.Hosting.Logging;

namespace SecurityOperator.Tests.Admission;

/// <summary>An in-process webhook server on 127.0.0.1:0 with a self-signed certificate in a Secret-like volume, its
/// own metrics registry and a captured log, plus an HttpClient that records the certificate each connection saw.</summary>
internal sealed class WebhookServerFixture : IAsyncDisposable
{
    private readonly LoggerFactory _loggerFactory;

    private WebhookServerFixture(AdmissionServer server, CertificateReloader certificates, TestCertificates.SecretVolume volume,
        MetricsRegistry metrics, LogCapture log, LoggerFactory loggerFactory)
    {
        Server = server;
        Certificates = certificates;
        Volume = volume;
        Metrics = metrics;
        Log = log;
        _loggerFactory = loggerFactory;
        BaseAddress = new Uri(server.Addresses.Single());
        Client = CreateClient();
    }

    public AdmissionServer Server { get; }
    public CertificateReloader Certificates { get; }
    public TestCertificates.SecretVolume Volume { get; }
    public MetricsRegistry Metrics { get; }
    public LogCapture Log { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int Port => BaseAddress.Port;

    /// <summary>The subject of the certificate the server presented on the latest new connection.</summary>
    public string? LastServerSubject { get; private set; }

    public static async Task<WebhookServerFixture> StartAsync(IEnumerable<CompiledPolicy> policies, Func<AdmissionServerOptions, AdmissionServerOptions>? configure = null)
    {
        var volume = new TestCertificates.SecretVolume(TestCertificates.Create("webhook-one"));
        var log = new LogCapture(LogLevel.Information, "webhook");
        var loggerFactory = new LoggerFactory([log.Provider]);
        var certificates = CertificateReloader.Load(volume.CertFile, volume.KeyFile, loggerFactory.CreateLogger("certificates"));
        var source = new AdmissionPolicySource(new AdmissionPolicySnapshot(policies, new Dictionary<string, Dictionary<string, string>>(), ReviewKit.DefaultExcluded));
        var metrics = new MetricsRegistry();
        var options = new AdmissionServerOptions(new IPEndPoint(IPAddress.Loopback, 0));
        if (configure is not null) options = configure(options);
        var server = await AdmissionServer.StartAsync(options, new AdmissionReviewer(source, loggerFactory.CreateLogger("admission")), certificates,
            new AdmissionMetrics(metrics), new HealthState(), loggerFactory, CancellationToken.None);
        return new WebhookServerFixture(server, certificates, volume, metrics, log, loggerFactory);
    }

    public HttpClient CreateClient(System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    LastServerSubject = certificate?.Subject;
                    return certificate is not null;
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A POST as kube-apiserver sends it (adm-01 headers).</summary>
    public static HttpRequestMessage ApiServerPost(string path, byte[] body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path + "?timeout=10s") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, */*");
        request.Headers.TryAddWithoutValidation("User-Agent", "kube-apiserver-admission");
        return request;
    }

    /// <summary>Opens a raw TLS connection (for clients that misbehave at the byte level).</summary>
    public async Task<SslStream> ConnectRawAsync()
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        return tls;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Client.Dispose();
        await Server.DisposeAsync();
        Certificates.Dispose();
        Volume.Dispose();
        _loggerFactory.Dispose();
    }
}
