using SecurityOperator.Kube.Config;

namespace SecurityOperator.Tests.Kube.Config;

public sealed class ExecCredentialSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TestPki Pki = TestPki.Shared;

    public void Dispose() => _dir.Dispose();

    private static string Credential(string status, string apiVersion = ExecCredentialSource.V1) =>
        $$$"""{"apiVersion":"{{{apiVersion}}}","kind":"ExecCredential","status":{{{{status}}}}}""";

    /// <summary>A plugin that counts its runs in a file and prints <paramref name="output"/>.</summary>
    private ExecConfig Plugin(string output, string apiVersion = ExecCredentialSource.V1, string extra = "")
    {
        var script = _dir.WriteScript("plugin.sh", $"""
            echo run >> "{_dir.Path}/runs"
            {extra}
            cat <<'JSON'
            {output}
            JSON
            """);
        return new ExecConfig { ApiVersion = apiVersion, Command = script };
    }

    private int Runs => File.Exists(System.IO.Path.Combine(_dir.Path, "runs")) ? File.ReadAllLines(System.IO.Path.Combine(_dir.Path, "runs")).Length : 0;

    private static ExecCredentialSource Source(ExecConfig config, TimeProvider? time = null, ExecCluster? cluster = null) =>
        new(config, "/k/config", "users[0].user.exec", "/k", cluster, time);

    [Fact]
    public async Task Passes_args_env_and_exec_info_and_reads_the_token()
    {
        var script = _dir.WriteScript("plugin.sh", $$"""
            printf '%s|' "$@" > "{{_dir.Path}}/args"
            printf '%s' "$GREETING" > "{{_dir.Path}}/env"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "{{_dir.Path}}/info"
            echo '{{Credential("\"token\":\"tok-1\"")}}'
            """);
        var config = new ExecConfig
        {
            ApiVersion = ExecCredentialSource.V1, Command = script, Args = ["get-token", "--cluster", "a b"],
            Env = [new ExecEnvVar { Name = "GREETING", Value = "hello" }], ProvideClusterInfo = true,
        };
        var credential = await Source(config, cluster: new ExecCluster { Server = "https://h:6443" }).GetAsync(default);

        Assert.Equal("tok-1", credential.BearerToken);
        Assert.Null(credential.ClientCertificate);
        Assert.Equal("get-token|--cluster|a b|", File.ReadAllText(System.IO.Path.Combine(_dir.Path, "args")));
        Assert.Equal("hello", File.ReadAllText(System.IO.Path.Combine(_dir.Path, "env")));
        Assert.Equal("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false,"cluster":{"server":"https://h:6443"}}}""",
            File.ReadAllText(System.IO.Path.Combine(_dir.Path, "info")));
    }

    [Fact]
    public async Task Without_provideClusterInfo_the_cluster_is_not_passed()
    {
        var config = Plugin(Credential("\"token\":\"t\""), extra: $"printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"{_dir.Path}/info\"");
        await Source(config, cluster: new ExecCluster { Server = "https://h:6443" }).GetAsync(default);
        Assert.DoesNotContain("cluster", File.ReadAllText(System.IO.Path.Combine(_dir.Path, "info")));
    }

    [Fact]
    public async Task Token_without_expiry_is_cached_until_invalidated()
    {
        var source = Source(Plugin(Credential("\"token\":\"t\"")));
        await source.GetAsync(default);
        await source.GetAsync(default);
        Assert.Equal(1, Runs);
        Assert.True(source.Invalidate());
        await source.GetAsync(default);
        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task Expiring_token_is_reused_until_expiry_then_the_plugin_runs_again()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 11, 0, 0, TimeSpan.Zero));
        var source = Source(Plugin(Credential("\"token\":\"t\",\"expirationTimestamp\":\"2030-01-01T12:00:00Z\"")), clock);
        await source.GetAsync(default);
        clock.Advance(TimeSpan.FromMinutes(59));
        await source.GetAsync(default);
        Assert.Equal(1, Runs);
        clock.Advance(TimeSpan.FromMinutes(1));
        await source.GetAsync(default);
        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task V1beta1_plugins_work()
    {
        var credential = await Source(Plugin(Credential("\"token\":\"beta\"", ExecCredentialSource.V1Beta1), ExecCredentialSource.V1Beta1)).GetAsync(default);
        Assert.Equal("beta", credential.BearerToken);
    }

    [Fact]
    public async Task Client_certificate_from_the_plugin()
    {
        var cert = Pki.EcClient.ExportCertificatePem().ReplaceLineEndings("\\n");
        var key = Pki.EcClientKey.ExportPkcs8PrivateKeyPem().ReplaceLineEndings("\\n");
        var credential = await Source(Plugin(Credential($"\"clientCertificateData\":\"{cert}\",\"clientKeyData\":\"{key}\""))).GetAsync(default);
        Assert.Null(credential.BearerToken);
        Assert.Equal(Pki.EcClient.Thumbprint, credential.ClientCertificate!.Thumbprint);
        Assert.True(credential.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public async Task Failing_plugin_reports_exit_code_and_stderr()
    {
        var script = _dir.WriteScript("fail.sh", "echo 'login expired, run sso login' >&2\nexit 3\n");
        var e = await Assert.ThrowsAsync<KubeconfigException>(() =>
            Source(new ExecConfig { ApiVersion = ExecCredentialSource.V1, Command = script }).GetAsync(default).AsTask());
        Assert.Equal($"kubeconfig /k/config: users[0].user.exec: plugin {script} exited with code 3: login expired, run sso login", e.Message);
    }

    [Theory]
    [InlineData("hello, I am not JSON", "not an ExecCredential JSON object")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"Pod"}""", "printed kind 'Pod'")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}""", "answered with apiVersion")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}""", "without status")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}""", "neither status.token nor a client certificate")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"x"}}""", "only one of")]
    [InlineData("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}}""", "not an ExecCredential JSON object")]
    public async Task Garbage_output_is_reported(string output, string problem)
    {
        var e = await Assert.ThrowsAsync<KubeconfigException>(() => Source(Plugin(output)).GetAsync(default).AsTask());
        Assert.Equal("users[0].user.exec", e.Field);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public async Task Missing_command_includes_the_install_hint()
    {
        var config = new ExecConfig { ApiVersion = ExecCredentialSource.V1, Command = "/nonexistent/aws-iam-authenticator", InstallHint = "install it from the docs" };
        var e = await Assert.ThrowsAsync<KubeconfigException>(() => Source(config).GetAsync(default).AsTask());
        Assert.Contains("cannot run plugin /nonexistent/aws-iam-authenticator", e.Message);
        Assert.Contains("(install it from the docs)", e.Message);
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1alpha1", null, "users[0].user.exec.apiVersion")]
    [InlineData(ExecCredentialSource.V1, "Always", "users[0].user.exec.interactiveMode")]
    public void Unsupported_exec_settings_are_rejected_at_load(string apiVersion, string? mode, string field)
    {
        var e = Assert.Throws<KubeconfigException>(() => Source(new ExecConfig { ApiVersion = apiVersion, Command = "x", InteractiveMode = mode }));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public async Task Relative_command_resolves_against_the_kubeconfig_directory()
    {
        _dir.WriteScript("bin/plugin.sh", $"echo '{Credential("\"token\":\"relative\"")}'\n");
        var path = _dir.Write("config", """
            { "current-context": "c",
              "clusters": [ { "name": "k", "cluster": { "server": "https://h:1" } } ],
              "users": [ { "name": "u", "user": { "exec": { "apiVersion": "client.authentication.k8s.io/v1", "command": "./bin/plugin.sh", "interactiveMode": "Never" } } } ],
              "contexts": [ { "name": "c", "context": { "cluster": "k", "user": "u" } } ] }
            """);
        var config = KubeConfigLocator.LoadFiles([path], missingIsError: true);
        Assert.Equal("relative", (await config.Credentials!.GetAsync(default)).BearerToken);
    }
}
