using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Tests.Kube.Config;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>Base of the client tests: a canned HTTPS server signed by the test CA, and a client that pins that CA.</summary>
public abstract class CannedServerTest : IAsyncLifetime
{
    internal static readonly TestPki Pki = TestPki.Shared;
    internal CannedApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await CannedApiServer.StartAsync(Pki.Server);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal KubeClientConfig Config(ICredentialSource? credentials = null) => new()
    {
        Server = Server.Url,
        CertificateAuthorities = [Pki.Ca],
        Credentials = credentials ?? new StaticCredentialSource("test-token"),
        Namespace = "secops",
        Origin = "test",
    };

    internal KubeClient Client(KubeClientOptions? options = null, ICredentialSource? credentials = null) =>
        new(Config(credentials), options);

    /// <summary>Serves one transcript exchange and returns it.</summary>
    internal CannedExchange Serve(string file, int number)
    {
        var exchange = Transcript.Exchange(file, number);
        Server.Respond(exchange);
        return exchange;
    }
}
