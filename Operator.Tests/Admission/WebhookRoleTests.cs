using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Tests.Hosting.Logging;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Admission;

public class WebhookRoleTests
{
    private static (RoleContext Context, LogCapture Log, LoggerFactory Factory) Context(params string[] args)
    {
        var log = new LogCapture(LogLevel.Information, "webhook");
        var factory = new LoggerFactory([log.Provider]);
        var options = CommandLineParser.Parse(["--role", "webhook", "--metrics-address", "127.0.0.1:0", .. args], _ => null);
        return (new RoleContext(options, factory, new MetricsRegistry(), new HealthState(), TextReader.Null, TextWriter.Null, TextWriter.Null), log, factory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task StandaloneWebhookServesThePolicyFilesAndIsReadyOnceTheyAreLoaded()
    {
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("role"));
        var port = FreePort();
        var policies = Path.Combine(RepositoryPaths.Root, "examples", "policies", "cluster-baseline-policy.yaml");
        var (context, log, factory) = Context("--kubeconfig", "none", "--listen", $"127.0.0.1:{port}", "--policy", policies,
            "--tls-cert-file", volume.CertFile, "--tls-key-file", volume.KeyFile, "--namespace-labels", "adm-demo=team=web");
        using var stop = new CancellationTokenSource();
        var running = new WebhookRole().RunAsync(context, stop.Token);

        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        HttpResponseMessage? healthz = null;
        for (var attempt = 0; attempt < 200 && healthz is null && !running.IsCompleted; attempt++)
        {
            try { healthz = await client.GetAsync("/healthz"); }
            catch (HttpRequestException) { await Task.Delay(50); }
        }
        Assert.NotNull(healthz);
        Assert.True(context.Health.Ready().Ok, context.Health.Ready().Report);
        Assert.Contains("[+] policies loaded", context.Health.Ready().Report);

        // A privileged pod violates the baseline Pod Security level of the example cluster policy.
        var body = ReviewKit.Edit(AdmissionTranscripts.Call("adm-01", 2).Body,
            r => r["object"]!["spec"]!["containers"]![0]!["securityContext"] = new JsonObject { ["privileged"] = true });
        using var response = await client.SendAsync(WebhookServerFixture.ApiServerPost("/validate", body));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False((bool)answer["response"]!["allowed"]!);
        Assert.Contains("ClusterSecurityPolicy cluster-baseline/pod-security-baseline", (string)answer["response"]!["status"]!["message"]!);
        Assert.Contains("security_operator_admission_requests_total{endpoint=\"validate\",operation=\"CREATE\",result=\"denied\"} 1", context.Metrics.Render());

        stop.Cancel();
        Assert.Equal(0, await running);
        factory.Dispose();
        Assert.Contains("serving admission on https://127.0.0.1:" + port, log.Text());
    }

    [Fact]
    public async Task WithoutKubeconfigNoneItSaysWhatIsMissingAndExits3()
    {
        var (context, log, _) = Context();
        Assert.Equal(RoleCatalog.NotImplementedExitCode, await new WebhookRole().RunAsync(context, CancellationToken.None));
        Assert.Contains("runs only with --kubeconfig none in this build", log.Text());
    }

    [Fact]
    public async Task BadPolicyFilesOrCertificatesExit2NamingTheProblem()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"secop-bad-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        try
        {
            var (context, log, _) = Context("--kubeconfig", "none", "--policy", bad);
            Assert.Equal(2, await new WebhookRole().RunAsync(context, CancellationToken.None));
            Assert.Contains("ConfigMap x is not a policy", log.Text());
        }
        finally
        {
            File.Delete(bad);
        }
        var (noCert, certLog, _) = Context("--kubeconfig", "none", "--tls-cert-file", "/nonexistent/tls.crt");
        Assert.Equal(2, await new WebhookRole().RunAsync(noCert, CancellationToken.None));
        Assert.Contains("/nonexistent/tls.crt", certLog.Text());
    }
}
