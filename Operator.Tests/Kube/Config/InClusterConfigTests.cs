using SecurityOperator.Kube.Config;

namespace SecurityOperator.Tests.Kube.Config;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TestPki Pki = TestPki.Shared;

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(params (string, string)[] values) => KubeconfigLoaderTests.Env(values);
    private static readonly Func<string, string?> ServiceEnv = Env(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"));

    private void Mount(string token = "token-1", string? ns = "secops")
    {
        _dir.Write("token", token);
        _dir.Write("ca.crt", Pki.CaPem);
        if (ns is not null) _dir.Write("namespace", ns);
    }

    [Fact]
    public async Task Reads_server_ca_token_and_namespace()
    {
        Mount();
        var config = InClusterConfig.Load(ServiceEnv, _dir.Path);
        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal(Pki.Ca.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.Equal("secops", config.Namespace);
        Assert.Equal("token-1", (await config.Credentials!.GetAsync(default)).BearerToken);
        Assert.Equal("in-cluster", config.Origin);
    }

    [Fact]
    public void Ipv6_service_host_is_bracketed_and_pod_namespace_wins()
    {
        Mount(ns: null);
        var config = InClusterConfig.Load(Env(("KUBERNETES_SERVICE_HOST", "fd00::1"), ("KUBERNETES_SERVICE_PORT", "443"), ("POD_NAMESPACE", "from-env")), _dir.Path);
        Assert.Equal("https://[fd00::1]/", config.Server.ToString());
        Assert.Equal("from-env", config.Namespace);
        Assert.Equal("default", InClusterConfig.Load(ServiceEnv, _dir.Path).Namespace);
    }

    [Fact]
    public async Task Rotated_token_is_picked_up()
    {
        Mount("first-token");
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var source = InClusterConfig.Load(ServiceEnv, _dir.Path, clock).Credentials!;
        Assert.Equal("first-token", (await source.GetAsync(default)).BearerToken);

        // The kubelet rewrites the file: a new modification time is noticed on the next request.
        var tokenPath = System.IO.Path.Combine(_dir.Path, "token");
        File.WriteAllText(tokenPath, "second-token");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("second-token", (await source.GetAsync(default)).BearerToken);

        // Same length and same timestamp: invisible to stat, so it is re-read after a 401 or once the cached value is a minute old.
        var stamp = File.GetLastWriteTimeUtc(tokenPath);
        File.WriteAllText(tokenPath, "third--token");
        File.SetLastWriteTimeUtc(tokenPath, stamp);
        Assert.Equal("second-token", (await source.GetAsync(default)).BearerToken);
        clock.Advance(TokenFileCredentialSource.MaxAge);
        Assert.Equal("third--token", (await source.GetAsync(default)).BearerToken);

        File.WriteAllText(tokenPath, "fourth-token");
        File.SetLastWriteTimeUtc(tokenPath, stamp);
        Assert.True(source.Invalidate());
        Assert.Equal("fourth-token", (await source.GetAsync(default)).BearerToken);
    }

    [Fact]
    public void Outside_a_pod_the_error_says_so()
    {
        var e = Assert.Throws<KubeconfigException>(() => InClusterConfig.Load(Env(), _dir.Path));
        Assert.Contains("not running in a pod", e.Message);
        Assert.False(InClusterConfig.IsAvailable(Env()));
    }

    [Fact]
    public void Missing_token_or_ca_names_the_file()
    {
        var missingToken = Assert.Throws<KubeconfigException>(() => InClusterConfig.Load(ServiceEnv, _dir.Path));
        Assert.Contains(System.IO.Path.Combine(_dir.Path, "token"), missingToken.Message);
        _dir.Write("token", "t");
        var missingCa = Assert.Throws<KubeconfigException>(() => InClusterConfig.Load(ServiceEnv, _dir.Path));
        Assert.Equal(System.IO.Path.Combine(_dir.Path, "ca.crt"), missingCa.Field);
    }

    [Fact]
    public void Bad_port_is_rejected()
    {
        Mount();
        var e = Assert.Throws<KubeconfigException>(() => InClusterConfig.Load(Env(("KUBERNETES_SERVICE_HOST", "h"), ("KUBERNETES_SERVICE_PORT", "https")), _dir.Path));
        Assert.Equal("KUBERNETES_SERVICE_PORT", e.Field);
    }
}
