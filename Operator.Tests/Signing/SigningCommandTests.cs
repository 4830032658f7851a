using SecurityOperator.Hosting;
using SecurityOperator.Tests.Registry;

namespace SecurityOperator.Tests.Signing;

/// <summary>`security-operator sign` and `verify` through the host's command line, against a loopback registry.</summary>
public class SigningCommandTests(LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await OperatorHost.RunAsync(args, _ => null, TextReader.Null, stdout, stderr, Stream.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public async Task Sign_then_verify_succeeds_and_a_wrong_key_fails_with_exit_1()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var repository = registry.NewRepository();
        var pushed = await TestImages.PushImageAsync(client, repository);
        var image = $"{repository.Registry}/{repository.Repository}@{pushed.Digest}";
        using var pair = new TestKeyPair();
        using var other = new TestKeyPair();
        var (key, pub) = pair.WriteFiles();
        var (_, otherPub) = other.WriteFiles();

        var sign = await RunAsync("sign", "--key", key, "--insecure-registry", image);
        Assert.True(sign.Code == 0, sign.Stderr);
        Assert.Contains($"signed {repository.Name}@{pushed.Digest}", sign.Stdout);

        var verify = await RunAsync("verify", "--key", pub, "--insecure-registry", image);
        Assert.True(verify.Code == 0, verify.Stderr);
        Assert.Contains($"verified {repository.Name}@{pushed.Digest}", verify.Stdout);

        var byTag = await RunAsync("verify", "--key", pub, "--insecure-registry", repository.ToString());
        Assert.Equal(0, byTag.Code);
        Assert.Contains($"resolves to {pushed.Digest}", byTag.Stderr);

        var wrong = await RunAsync("verify", "--key", otherPub, "--insecure-registry", image);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("no valid signature", wrong.Stderr);
    }

    [Fact]
    public async Task Sign_needs_a_digest_and_says_why()
    {
        using var pair = new TestKeyPair();
        var (key, _) = pair.WriteFiles();
        var result = await RunAsync("sign", "--key", key, "--insecure-registry", "127.0.0.1:1/app:v1");
        Assert.Equal(2, result.Code);
        Assert.Contains("has no digest", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "verify", "127.0.0.1:1/app:v1" }, "--key is required")]
    [InlineData(new[] { "verify", "--key" }, "--key needs a value")]
    [InlineData(new[] { "verify", "--key", "/nonexistent/cosign.pub", "127.0.0.1:1/app:v1" }, "cannot read key /nonexistent/cosign.pub")]
    [InlineData(new[] { "sign", "--key", "k", "--bogus", "x" }, "unknown flag '--bogus'")]
    [InlineData(new[] { "verify", "--key", "k", "Bad/Name" }, "invalid image reference 'Bad/Name'")]
    [InlineData(new[] { "verify", "--key", "k", "--timeout", "soon", "a" }, "invalid value 'soon' for --timeout")]
    public async Task Bad_command_lines_exit_2_naming_the_problem(string[] args, string problem)
    {
        var result = await RunAsync(args);
        Assert.Equal(2, result.Code);
        Assert.Contains(problem, result.Stderr);
    }

    [Fact]
    public async Task Unreachable_registry_exits_4_naming_it()
    {
        using var pair = new TestKeyPair();
        var (_, pub) = pair.WriteFiles();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await RunAsync("verify", "--key", pub, "--insecure-registry", "--timeout", "5s", $"127.0.0.1:{port}/app@sha256:{new string('a', 64)}");
        Assert.Equal(4, result.Code);
        Assert.Contains($"registry 127.0.0.1:{port}", result.Stderr);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var result = await RunAsync("verify", "--help");
        Assert.Equal(0, result.Code);
        Assert.Contains("usage: security-operator verify --key", result.Stdout);
    }
}
