using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.Config;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>Credentials from a kubeconfig end to end: exec plugins and token files as the client uses them.</summary>
public sealed class KubeClientCredentialTests : CannedServerTest, IDisposable
{
    private const string PodPath = "/api/v1/namespaces/secops/pods/web-0";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A kubeconfig for the canned server whose user is <paramref name="user"/> (a JSON object body).</summary>
    private KubeClient ClientFromKubeconfig(string user)
    {
        var path = _dir.Write("config", $$"""
            { "current-context": "c",
              "clusters": [ { "name": "k", "cluster": { "server": "{{Server.Url}}", "certificate-authority-data": "{{TestPki.Base64(Pki.CaPem)}}" } } ],
              "users": [ { "name": "u", "user": { {{user}} } } ],
              "contexts": [ { "name": "c", "context": { "cluster": "k", "user": "u", "namespace": "secops" } } ] }
            """);
        return new KubeClient(KubeConfigLocator.LoadFiles([path], missingIsError: true));
    }

    private static string Exec(string script) =>
        $$"""
        "exec": { "apiVersion": "client.authentication.k8s.io/v1", "command": "{{script}}", "interactiveMode": "Never" }
        """;

    [Fact]
    public async Task Exec_plugin_runs_again_after_a_401_and_its_new_token_is_used()
    {
        // The plugin numbers its runs: the first token is rejected, the second accepted.
        var script = _dir.WriteScript("plugin.sh", $$$"""
            echo run >> "{{{_dir.Path}}}/runs"
            n=$(wc -l < "{{{_dir.Path}}}/runs" | tr -d ' ')
            echo "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"token-$n\"}}"
            """);
        Server.Respond("GET", PodPath, Transcript.Exchange("errors-403-forbidden-401.txt", 7).Response);
        Serve("pods-02-get.txt", 1);
        using var client = ClientFromKubeconfig(Exec(script));

        await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);
        await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

        Assert.Equal(["Bearer token-1", "Bearer token-2", "Bearer token-2"], Server.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_list_answered_401_runs_the_exec_plugin_again_and_retries_once()
    {
        // LIST pages are decoded from the response stream: the credential retry works the same as for other verbs.
        var script = _dir.WriteScript("plugin.sh", $$$"""
            echo run >> "{{{_dir.Path}}}/runs"
            n=$(wc -l < "{{{_dir.Path}}}/runs" | tr -d ' ')
            echo "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"token-$n\"}}"
            """);
        var page = Transcript.Exchange("pods-03-list-paging.txt", 1);
        Server.Respond("GET", page.PathAndQuery, Transcript.Exchange("errors-403-forbidden-401.txt", 7).Response);
        Server.Respond(page);
        using var client = ClientFromKubeconfig(Exec(script));

        var list = await client.ListAsync(KubeResource.Pods, "secops", KubeJsonContext.Default.KubeListPod, new ListOptions { Limit = 2 });

        Assert.Equal(2, list.Items.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], Server.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Exec_plugin_client_certificate_is_presented_in_the_handshake()
    {
        var cert = Pki.EcClient.ExportCertificatePem().ReplaceLineEndings("\\n");
        var key = Pki.EcClientKey.ExportECPrivateKeyPem().ReplaceLineEndings("\\n");
        var script = _dir.WriteScript("plugin.sh", $$$"""
            cat <<'JSON'
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"{{{cert}}}","clientKeyData":"{{{key}}}"}}
            JSON
            """);
        Serve("pods-02-get.txt", 1);
        using var client = ClientFromKubeconfig(Exec(script));

        await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

        var request = Server.Single();
        Assert.Equal(Pki.EcClient.Thumbprint, request.ClientCertificateThumbprint);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Token_file_is_sent_and_reread_after_rotation()
    {
        var tokenPath = _dir.Write("token", "first");
        Serve("pods-02-get.txt", 1);
        using var client = ClientFromKubeconfig("\"tokenFile\": \"token\"");

        await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);
        File.WriteAllText(tokenPath, "second-token");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(1));
        await client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

        Assert.Equal(["Bearer first", "Bearer second-token"], Server.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Equal("secops", client.DefaultNamespace);
    }

    [Fact]
    public async Task Failing_exec_plugin_surfaces_as_a_kubeconfig_error_before_any_request()
    {
        var script = _dir.WriteScript("plugin.sh", "echo 'no session' >&2\nexit 1\n");
        using var client = ClientFromKubeconfig(Exec(script));
        var e = await Assert.ThrowsAsync<KubeconfigException>(() => client.GetAsync(KubeResource.Pods, "secops", "web-0", KubeJsonContext.Default.Pod));
        Assert.Contains("no session", e.Message);
        Assert.Empty(Server.Requests);
    }
}
