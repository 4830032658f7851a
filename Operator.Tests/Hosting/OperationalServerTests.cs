using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Hosting;

/// <summary>The /metrics, /healthz and /readyz listener on a loopback port chosen by the kernel.</summary>
public sealed class OperationalServerTests : IAsyncLifetime
{
    private readonly MetricsRegistry _metrics = new();
    private readonly HealthState _health = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private OperationalServer? _server;

    public async Task InitializeAsync()
    {
        _server = await OperationalServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), _metrics, _health,
            NullLoggerFactory.Instance, CancellationToken.None);
        _http.BaseAddress = new Uri(Assert.Single(_server.Addresses));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Code, string Body, HttpResponseMessage Response)> Send(HttpMethod method, string path)
    {
        var response = await _http.SendAsync(new HttpRequestMessage(method, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private Task<(HttpStatusCode Code, string Body, HttpResponseMessage Response)> Get(string path) => Send(HttpMethod.Get, path);

    [Fact]
    public void Port_zero_binds_a_real_loopback_port()
    {
        var address = new Uri(Assert.Single(_server!.Addresses));
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        _metrics.CreateGauge("test_informer_synced", "Whether the informer has synced.").Set(1);

        var (code, body, response) = await Get("/metrics");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("# TYPE test_informer_synced gauge\ntest_informer_synced 1\n", body);
    }

    [Fact]
    public async Task Requests_are_counted_by_path_and_code()
    {
        await Get("/metrics");
        await Get("/healthz");
        await Get("/nope");
        await Send(HttpMethod.Post, "/metrics");

        var (_, body, _) = await Get("/metrics");

        Assert.Contains("security_operator_operational_requests_total{path=\"/metrics\",code=\"200\"} 1\n", body);
        Assert.Contains("security_operator_operational_requests_total{path=\"/healthz\",code=\"200\"} 1\n", body);
        Assert.Contains("security_operator_operational_requests_total{path=\"other\",code=\"404\"} 1\n", body);
        Assert.Contains("security_operator_operational_requests_total{path=\"other\",code=\"405\"} 1\n", body);
    }

    [Fact]
    public async Task Unknown_paths_do_not_become_label_values()
    {
        for (var i = 0; i < 5; i++) await Get($"/scan-{i}");
        var (_, body, _) = await Get("/metrics");
        Assert.DoesNotContain("scan-", body);
        Assert.Contains("security_operator_operational_requests_total{path=\"other\",code=\"404\"} 5\n", body);
    }

    [Fact]
    public async Task A_query_string_does_not_change_the_path()
    {
        var (code, body, _) = await Get("/metrics?name[]=x");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("# TYPE security_operator_operational_requests_total counter", body);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    public async Task Liveness_is_200_ok(string path)
    {
        var (code, body, response) = await Get(path);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ok\n", body);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Liveness_is_503_with_the_reason_once_a_part_is_broken()
    {
        _health.ReportBroken("watch/pods", "gave up after 10 relists");
        var (code, body, _) = await Get("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("[-] watch/pods: gave up after 10 relists\n", body);
    }

    [Fact]
    public async Task Readiness_is_503_while_a_check_fails_and_200_after()
    {
        var synced = false;
        _health.AddReadinessCheck("informers-synced", () => synced);

        var before = await Get("/readyz");
        synced = true;
        var after = await Get("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Code);
        Assert.Equal("[-] informers-synced\nnot ready\n", before.Body);
        Assert.Equal(HttpStatusCode.OK, after.Code);
        Assert.Equal("[+] informers-synced\nok\n", after.Body);
    }

    [Fact]
    public async Task Readiness_is_503_once_shutting_down_while_liveness_stays_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/readyz")).Code);
        _health.MarkShuttingDown();

        var ready = await Get("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("[-] shutdown: in progress\nnot ready\n", ready.Body);
        Assert.Equal(HttpStatusCode.OK, (await Get("/healthz")).Code);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/metrics/")]
    [InlineData("/METRICS")]
    [InlineData("/validate")]
    public async Task Other_paths_are_404(string path)
    {
        var (code, body, _) = await Get(path);
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal($"404 page not found: {path}\n", body);
    }

    [Theory]
    [InlineData("POST", "/metrics")]
    [InlineData("PUT", "/healthz")]
    [InlineData("DELETE", "/readyz")]
    [InlineData("POST", "/nope")]
    public async Task Methods_other_than_get_and_head_are_405_with_allow(string method, string path)
    {
        var (code, body, response) = await Send(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, code);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.ToArray());
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        _health.AddReadinessCheck("never", () => false);

        var metrics = await Send(HttpMethod.Head, "/metrics");
        var ready = await Send(HttpMethod.Head, "/readyz");

        Assert.Equal(HttpStatusCode.OK, metrics.Code);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Response.Content.Headers.ContentType!.ToString());
        Assert.Equal("", metrics.Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("", ready.Body);
    }

    [Fact]
    public async Task No_server_header_is_sent()
    {
        var (_, _, response) = await Get("/healthz");
        Assert.Empty(response.Headers.Server);
    }

    [Fact]
    public async Task A_second_server_on_a_taken_port_fails_with_an_io_error()
    {
        var taken = new Uri(Assert.Single(_server!.Addresses)).Port;
        await Assert.ThrowsAnyAsync<IOException>(() => OperationalServer.StartAsync(new IPEndPoint(IPAddress.Loopback, taken),
            new MetricsRegistry(), new HealthState(), NullLoggerFactory.Instance, CancellationToken.None));
    }

    [Fact]
    public async Task After_dispose_the_port_is_closed()
    {
        var port = new Uri(Assert.Single(_server!.Addresses)).Port;
        await _server.DisposeAsync();
        _server = null;

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
