using System.Text.Json.Nodes;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>The API server double plus a client configured the way the operator configures itself: the double writes a
/// kubeconfig (server URL, certificate-authority-data, token, namespace), KubeConfigLocator.LoadFiles reads it and
/// KubeClient is built from the result. Nothing in between is hand-wired, so TLS pinning and auth are exercised too.</summary>
internal sealed class DoubleCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<KubeClient> _clients = [];

    private DoubleCluster(ApiServerDouble api, string directory, string kubeconfigPath, KubeClient client)
    {
        Api = api;
        _directory = directory;
        KubeconfigPath = kubeconfigPath;
        Client = client;
        _clients.Add(client);
    }

    public ApiServerDouble Api { get; }

    /// <summary>The kubeconfig the double wrote (context namespace as passed to <see cref="StartAsync"/>).</summary>
    public string KubeconfigPath { get; }

    /// <summary>The admin client, built from <see cref="KubeconfigPath"/>.</summary>
    public KubeClient Client { get; }

    public static async Task<DoubleCluster> StartAsync(ApiServerDoubleOptions? options = null, string contextNamespace = "secops",
        KubeClientOptions? clientOptions = null)
    {
        var api = await ApiServerDouble.StartAsync(options);
        var directory = Directory.CreateTempSubdirectory("kubeinteg-").FullName;
        var path = api.WriteKubeconfig(Path.Combine(directory, "config"), contextNamespace);
        var config = KubeConfigLocator.LoadFiles([path], missingIsError: true);
        return new DoubleCluster(api, directory, path, new KubeClient(config, clientOptions));
    }

    /// <summary>A client from a copy of the kubeconfig whose user token is replaced (a wrong or an unprivileged one).</summary>
    public KubeClient ClientWithToken(string token)
    {
        var config = JsonNode.Parse(File.ReadAllText(KubeconfigPath))!;
        config["users"]![0]!["user"]!["token"] = token;
        var path = Path.Combine(_directory, $"config-{_clients.Count}");
        File.WriteAllText(path, config.ToJsonString());
        var client = new KubeClient(KubeConfigLocator.LoadFiles([path], missingIsError: true));
        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a namespace directly in the double (writes into a namespace that does not exist are 404, errors-404).</summary>
    public void SeedNamespace(string name) =>
        Api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });

    /// <summary>The watch requests the double received (GET ...?watch=1...), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> WatchRequests(string path) =>
        Api.Requests.Where(r => r.Method == "GET" && r.Path == path && QueryHas(r, "watch", "1")).ToList();

    /// <summary>The LIST requests (GET of the collection without watch=1) the double received, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> ListRequests(string path) =>
        Api.Requests.Where(r => r.Method == "GET" && r.Path == path && !QueryHas(r, "watch", "1")).ToList();

    public static string? QueryValue(RecordedRequest request, string name)
    {
        foreach (var pair in request.Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key == name) return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }

    private static bool QueryHas(RecordedRequest request, string name, string value) => QueryValue(request, name) == value;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Api.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
