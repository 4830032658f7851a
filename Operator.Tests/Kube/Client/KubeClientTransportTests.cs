using System.Security.Authentication;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.Config;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>TLS, credentials, timeouts and the observer hook, over a real HTTPS connection to the canned server.</summary>
public sealed class KubeClientTransportTests : CannedServerTest
{
    private const string PodPath = "/api/v1/namespaces/secops/pods/web-0";

    private KubeClient ClientWith(Func<KubeClientConfig, KubeClientConfig> edit, KubeClientOptions? options = null) => new(edit(Config()), options);

    private static KubeClientConfig With(KubeClientConfig c, Uri? server = null, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? cas = null,
        bool insecure = false, string? serverName = null, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) => new()
    {
        Server = server ?? c.Server,
        CertificateAuthorities = insecure ? null : cas ?? c.CertificateAuthorities,
        InsecureSkipTlsVerify = insecure,
        TlsServerName = serverName,
        ClientCertificate = clientCertificate,
        Credentials = c.Credentials,
        Namespace = c.Namespace,
        Origin = c.Origin,
    };

    private Task<Pod> GetPod(KubeClient client) => client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

    [Fact]
    public async Task Server_signed_by_another_ca_is_rejected()
    {
        Serve("pods-02-get.txt", 1);
        var otherCa = new TestPki("other-ca").Ca;
        using var client = ClientWith(c => With(c, cas: [otherCa]));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetPod(client));
        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Insecure_skip_verify_accepts_any_server()
    {
        Serve("pods-02-get.txt", 1);
        using var client = ClientWith(c => With(c, cas: [new TestPki("other-ca").Ca], insecure: true));
        Assert.Equal("web-0", (await GetPod(client)).Metadata.Name);
    }

    [Fact]
    public async Task Tls_server_name_replaces_the_url_host_in_the_name_check()
    {
        Serve("pods-02-get.txt", 1);
        using var good = ClientWith(c => With(c, serverName: "kubernetes.default.svc"));
        Assert.Equal("web-0", (await GetPod(good)).Metadata.Name);

        using var bad = ClientWith(c => With(c, serverName: "not-the-server.example"));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetPod(bad));
        Assert.IsType<AuthenticationException>(e.InnerException);
    }

    [Fact]
    public async Task Host_name_mismatch_is_rejected()
    {
        Serve("pods-02-get.txt", 1);
        // "localhost" reaches the server (127.0.0.1) but is not among the certificate's names (TestPki leaves it out).
        using var client = ClientWith(c => With(c, server: new Uri($"https://localhost:{Server.Url.Port}")));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetPod(client));
        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Client_certificates_are_presented()
    {
        Serve("pods-02-get.txt", 1);
        using (var rsa = ClientWith(c => With(c, clientCertificate: Load(Pki.RsaClient, Pki.RsaClientKey.ExportRSAPrivateKeyPem()))))
            await GetPod(rsa);
        using (var ec = ClientWith(c => With(c, clientCertificate: Load(Pki.EcClient, Pki.EcClientKey.ExportECPrivateKeyPem()))))
            await GetPod(ec);
        Assert.Equal([Pki.RsaClient.Thumbprint, Pki.EcClient.Thumbprint], Server.Requests.Select(r => r.ClientCertificateThumbprint));
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Load(System.Security.Cryptography.X509Certificates.X509Certificate2 cert, string keyPem) =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(cert.ExportCertificatePem(), keyPem);

    [Fact]
    public async Task Unauthorized_with_a_rotating_credential_is_retried_once_with_the_new_one()
    {
        Server.Respond("GET", PodPath, Transcript.Exchange("errors-403-forbidden-401.txt", 7).Response);
        Serve("pods-02-get.txt", 1);
        var credentials = new SequenceCredentialSource("old", "new");
        using var client = Client(credentials: credentials);

        Assert.Equal("web-0", (await GetPod(client)).Metadata.Name);
        Assert.Equal(["Bearer old", "Bearer new"], Server.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Unauthorized_twice_is_thrown_after_one_retry()
    {
        Server.Respond("GET", PodPath, Transcript.Exchange("errors-403-forbidden-401.txt", 7).Response);
        var credentials = new SequenceCredentialSource("a", "b", "c");
        using var client = Client(credentials: credentials);
        await Assert.ThrowsAsync<KubeUnauthorizedException>(() => GetPod(client));
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task Unauthorized_with_a_static_token_is_not_retried()
    {
        Server.Respond("GET", PodPath, Transcript.Exchange("errors-403-forbidden-401.txt", 7).Response);
        using var client = Client();
        await Assert.ThrowsAsync<KubeUnauthorizedException>(() => GetPod(client));
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Observer_sees_verb_and_status_of_each_exchange()
    {
        Serve("pods-02-get.txt", 1);
        Serve("errors-404-not-found.txt", 1);
        var seen = new List<(string Verb, int Code)>();
        using var client = Client(new KubeClientOptions { OnRequestCompleted = (verb, code, duration) =>
        {
            Assert.True(duration >= TimeSpan.Zero);
            seen.Add((verb, code));
        } });
        await GetPod(client);
        await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync(KubeResource.Pods, "secops", "ghost", KubeJsonContext.Default.Pod));
        await client.RawAsync(HttpMethod.Get, PodPath);
        Assert.Equal([("get", 200), ("get", 404), ("raw", 200)], seen);
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_times_out_client_side()
    {
        var release = new TaskCompletionSource();
        Server.Handle("GET", PodPath, async context =>
        {
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
            catch (OperationCanceledException) { release.TrySetResult(); }
        });
        using var client = Client(new KubeClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<TimeoutException>(() => GetPod(client));
        Assert.Contains("client-side request timeout", e.Message);
        await release.Task; // the server saw the connection go away: the client really abandoned the request
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        Server.Handle("GET", PodPath, context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var client = Client();
        using var cancel = new CancellationTokenSource();
        var pending = client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task Server_url_path_prefix_is_kept()
    {
        var exchange = Transcript.Exchange("pods-02-get.txt", 1);
        Server.Respond("GET", "/k8s/clusters/c-1" + exchange.PathAndQuery, exchange.Response);
        using var client = ClientWith(c => With(c, server: new Uri(Server.Url, "/k8s/clusters/c-1/")));
        Assert.Equal("web-0", (await GetPod(client)).Metadata.Name);
    }

    [Fact]
    public async Task Rate_limiter_holds_requests_beyond_the_burst()
    {
        Serve("pods-02-get.txt", 1);
        // One token, refilled once every 1000 s: the second request must wait for it.
        using var client = Client(new KubeClientOptions { Qps = 0.001, Burst = 1, RequestTimeout = TimeSpan.FromHours(1) });
        await GetPod(client);
        using var cancel = new CancellationTokenSource();
        var held = client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task A_watch_that_outlives_its_server_timeout_plus_margin_is_aborted()
    {
        const string path = "/api/v1/namespaces/secops/pods?watch=1&allowWatchBookmarks=true&resourceVersion=1&timeoutSeconds=1";
        Server.Handle("GET", path, async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted); // a dead server: headers, then silence
        });
        using var client = Client(new KubeClientOptions { WatchTimeoutMargin = TimeSpan.FromMilliseconds(200) });
        await using var stream = await client.WatchAsync(KubeResource.Pods, "secops", null, null, "1", TimeSpan.FromSeconds(1));
        // An IOException, as for any dead connection, so the watch loop backs off and re-watches.
        await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(Stream.Null));
    }
}
