using System.Text;
using System.Text.Json;

namespace SecurityOperator.Registry;

/// <summary>Registry credentials from a Docker config (<c>~/.docker/config.json</c>, or a Secret of type
/// kubernetes.io/dockerconfigjson): <c>{"auths":{"HOST":{"auth":"base64(user:pass)"}}}</c> or with separate
/// username/password. Keys may be a bare host or a URL (https://index.docker.io/v1/ for Docker Hub), matched by host
/// the way the kubelet does for exact hosts. Credential helpers are not run.</summary>
public sealed class DockerConfigCredentials : IRegistryCredentialSource
{
    private readonly Dictionary<string, RegistryCredentials> _byHost;

    private DockerConfigCredentials(Dictionary<string, RegistryCredentials> byHost) => _byHost = byHost;

    public static DockerConfigCredentials Empty { get; } = new(new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase));

    public int Count => _byHost.Count;

    public RegistryCredentials? Find(string registry)
    {
        if (_byHost.TryGetValue(registry, out var found)) return found;
        return registry == ImageName.DockerHub && _byHost.TryGetValue("index.docker.io", out found) ? found : null;
    }

    /// <summary>Several configs in order (e.g. the pod's pull secrets, then the service account's): the first that
    /// has a host wins, as the kubelet tries pull secrets in order.</summary>
    public static DockerConfigCredentials Merge(IEnumerable<DockerConfigCredentials> configs)
    {
        var merged = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        foreach (var config in configs)
            foreach (var (host, credentials) in config._byHost)
                merged.TryAdd(host, credentials);
        return new DockerConfigCredentials(merged);
    }

    /// <summary>Parses a config.json (with "auths") or a legacy .dockercfg (hosts at the top level). Errors name
    /// <paramref name="source"/> and never include a secret.</summary>
    public static DockerConfigCredentials Parse(ReadOnlySpan<byte> json, string source)
    {
        var byHost = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not a valid Docker config JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: a Docker config must be a JSON object");
            var auths = document.RootElement.TryGetProperty("auths", out var a) && a.ValueKind == JsonValueKind.Object ? a : document.RootElement;
            foreach (var entry in auths.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object) continue;
                var credentials = Read(entry.Value, $"{source}: auths[\"{entry.Name}\"]");
                if (credentials is not null) byHost[HostOf(entry.Name)] = credentials;
            }
        }
        return new DockerConfigCredentials(byHost);
    }

    private static RegistryCredentials? Read(JsonElement entry, string where)
    {
        string? Text(string name) => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Text("auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw new FormatException($"{where}.auth is not base64");
            }
            var colon = decoded.IndexOf(':');
            if (colon < 0) throw new FormatException($"{where}.auth does not decode to user:password");
            return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
        }
        if (Text("username") is { Length: > 0 } user) return new RegistryCredentials(user, Text("password") ?? "");
        return null;
    }

    /// <summary>"https://index.docker.io/v1/" → "index.docker.io"; "registry.example.com:5000" stays.</summary>
    private static string HostOf(string key)
    {
        var text = key;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var slash = text.IndexOf('/');
        return slash >= 0 ? text[..slash] : text;
    }
}
