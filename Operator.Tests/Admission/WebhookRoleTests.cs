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
    public async Task AWebhookWhoseListenerCannotBindNeverLooksReady()
    {
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("role"));
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var (context, _, factory) = Context("--kubeconfig", "none", "--listen", $"127.0.0.1:{port}",
            "--tls-cert-file", volume.CertFile, "--tls-key-file", volume.KeyFile);
        using (factory)
        {
            // Policies load at once (the built-in set), so only the listener line can keep the pod out of the Service.
            await Assert.ThrowsAnyAsync<IOException>(() => new WebhookRole().RunAsync(context, CancellationToken.None));
            var (ok, report) = context.Health.Ready();
            Assert.False(ok, report);
            Assert.Contains("[+] policies loaded", report);
            Assert.Contains($"[-] {ListenerReadiness.CheckName}", report);
        }
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
        Assert.Contains($"[+] {ListenerReadiness.CheckName}", context.Health.Ready().Report);

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

    private const string PrivilegedOnly = """
        {"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"no-privileged"},
         "spec":{"targets":{"namespaceSelector":{"matchLabels":{"tier":"guarded"}}},
                 "rules":[{"name":"privileged","conditions":[{"privilegedContainer":true}],"actions":["deny"]}]}}
        """;

    private static HttpClient TrustingClient(int port) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

    private static async Task<bool?> AllowedAsync(HttpClient client, string ns)
    {
        var body = ReviewKit.Edit(AdmissionTranscripts.Call("adm-01", 2).Body, r =>
        {
            r["namespace"] = ns;
            r["object"]!["metadata"]!["namespace"] = ns;
            r["object"]!["spec"]!["containers"]![0]!["securityContext"] = new JsonObject { ["privileged"] = true };
        });
        using var response = await client.SendAsync(WebhookServerFixture.ApiServerPost("/validate", body));
        return (bool?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!["allowed"];
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"never happened: {what}");
    }

    [Fact]
    public async Task WithAnApiServerItDecidesWithTheClustersPoliciesAndNamespaceLabelsAndKeepsTheLastValidPolicy()
    {
        // The policy kinds as the shipped CRDs define them (no defaults from the transcripts' recorded CRD).
        await using var cluster = await SecurityOperator.Tests.Policy.Cluster.ShippedPolicyCluster.StartAsync();
        var api = cluster.Api;
        var kubeconfig = cluster.KubeconfigPath;
        api.Seed("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"tier":"guarded"}}}""");
        api.Seed("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"lab"}}""");
        api.Seed(PrivilegedOnly);
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("role"));
        var port = FreePort();
        var (context, log, factory) = Context("--kubeconfig", kubeconfig, "--listen", $"127.0.0.1:{port}",
            "--tls-cert-file", volume.CertFile, "--tls-key-file", volume.KeyFile);
        using var stop = new CancellationTokenSource();
        var running = new WebhookRole().RunAsync(context, stop.Token);
        try
        {
            await Eventually(() => Task.FromResult(context.Health.Ready().Ok || running.IsCompleted), "ready");
            Assert.False(running.IsCompleted, "the role ended early");
            Assert.Contains("[+] policy and namespace caches synced", context.Health.Ready().Report);
            using var client = TrustingClient(port);

            // The namespace selector is decided with the labels the cluster has.
            Assert.False(await AllowedAsync(client, "shop"));
            Assert.True(await AllowedAsync(client, "lab"));

            // A label change moves a namespace under the policy.
            var lab = api.Get(SecurityOperator.Tests.Kube.ApiServer.ResourceCatalog.Namespaces, "", "lab")!.Object.DeepClone().AsObject();
            lab["metadata"]!["labels"] = new JsonObject { ["tier"] = "guarded" };
            api.Update(SecurityOperator.Tests.Kube.ApiServer.ResourceCatalog.Namespaces, lab);
            await Eventually(async () => await AllowedAsync(client, "lab") == false, "lab denied after its label change");

            // A new version that does not compile leaves the last valid one in force.
            var broken = api.Get(SecurityOperator.Tests.Policy.Cluster.ShippedPolicyCluster.ClusterSecurityPolicies, "", "no-privileged")!.Object.DeepClone().AsObject();
            broken["spec"]!["rules"]![0]!["conditions"] = new JsonArray(new JsonObject { ["noSuchCondition"] = true });
            api.Update(SecurityOperator.Tests.Policy.Cluster.ShippedPolicyCluster.ClusterSecurityPolicies, broken);
            await Eventually(() => Task.FromResult(context.Metrics.Render().Contains("security_operator_admission_policies{state=\"invalid\"} 1\n")), "the invalid version is noticed");
            Assert.False(await AllowedAsync(client, "shop"));

            // Deleting the policy lifts it.
            api.Delete(SecurityOperator.Tests.Policy.Cluster.ShippedPolicyCluster.ClusterSecurityPolicies, "", "no-privileged");
            await Eventually(async () => await AllowedAsync(client, "shop") == true, "allowed after the policy is deleted");

            // Only the calls the webhook declares (and its RBAC grants) reach the API server.
            foreach (var request in api.Requests)
                if (ApiAccessOfRequest.Map(request.Method, request.Path, request.Query) is { } access)
                    Assert.Contains(access, WebhookApiAccess.Calls);
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await running);
            factory.Dispose();
        }
        Assert.Contains("does not compile", log.Text());
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

    private static string PullSecretJson(string name, string registry)
    {
        var auths = new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = Convert.ToBase64String("u:p"u8.ToArray()) } } };
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(auths.ToJsonString())) },
        }.ToJsonString();
    }

    private static string SignaturePolicyJson(string registry, string publicPem) => new JsonObject
    {
        ["apiVersion"] = "security.io/v1", ["kind"] = "ClusterSecurityPolicy",
        ["metadata"] = new JsonObject { ["name"] = "signed" },
        ["spec"] = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["name"] = "signed",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["imageSignature"] = new JsonObject
                    {
                        ["images"] = new JsonArray($"{registry}/*"),
                        ["attestors"] = new JsonArray(new JsonObject { ["name"] = "release", ["publicKey"] = publicPem }),
                    },
                }),
                ["actions"] = new JsonArray("deny"),
            }),
        },
    }.ToJsonString();

    [Fact]
    public async Task WithAnApiServerAnImageSignatureRuleReadsThePodsAndItsServiceAccountsPullSecretsThroughTheApi()
    {
        await using var cluster = await SecurityOperator.Tests.Policy.Cluster.ShippedPolicyCluster.StartAsync();
        var api = cluster.Api;
        var registry = $"127.0.0.1:{FreePort()}"; // nothing listens: the verification fails with a registry error
        using var key = new SecurityOperator.Tests.Signing.TestKeyPair();
        api.Seed("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""");
        api.Seed("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default","namespace":"shop"},"imagePullSecrets":[{"name":"account-cred"}]}""");
        api.Seed(PullSecretJson("pod-cred", registry));
        api.Seed(PullSecretJson("account-cred", registry));
        api.Seed(SignaturePolicyJson(registry, key.PublicPem));
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("role"));
        var port = FreePort();
        var (context, _, factory) = Context("--kubeconfig", cluster.KubeconfigPath, "--listen", $"127.0.0.1:{port}",
            "--tls-cert-file", volume.CertFile, "--tls-key-file", volume.KeyFile);
        using var stop = new CancellationTokenSource();
        var running = new WebhookRole().RunAsync(context, stop.Token);
        try
        {
            await Eventually(() => Task.FromResult(context.Health.Ready().Ok || running.IsCompleted), "ready");
            Assert.False(running.IsCompleted, "the role ended early");
            using var client = TrustingClient(port);
            var body = ReviewKit.Edit(AdmissionTranscripts.Call("adm-01", 2).Body, r =>
            {
                r["namespace"] = "shop";
                r["object"]!["metadata"]!["namespace"] = "shop";
                r["object"]!["spec"]!["containers"]![0]!["image"] = $"{registry}/team/app:v1";
                r["object"]!["spec"]!["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "pod-cred" });
            });
            using var response = await client.SendAsync(WebhookServerFixture.ApiServerPost("/validate", body));
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
            Assert.False((bool)answer["allowed"]!);
            Assert.Contains($"registry {registry}", (string)answer["status"]!["message"]!);

            // The pod's pull secret and its service account's were read, by name, with calls the webhook declares.
            var gets = api.Requests.Where(r => r.Method == "GET").Select(r => r.Path).ToList();
            Assert.Contains("/api/v1/namespaces/shop/serviceaccounts/default", gets);
            Assert.Contains("/api/v1/namespaces/shop/secrets/pod-cred", gets);
            Assert.Contains("/api/v1/namespaces/shop/secrets/account-cred", gets);
            foreach (var request in api.Requests)
                if (ApiAccessOfRequest.Map(request.Method, request.Path, request.Query) is { } access)
                    Assert.Contains(access, WebhookApiAccess.Calls);
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await running);
            factory.Dispose();
        }
    }
}
