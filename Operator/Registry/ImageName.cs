using System.Text.RegularExpressions;

namespace SecurityOperator.Registry;

/// <summary>An image reference parsed by the grammar of distribution/reference (what docker, containerd and the
/// kubelet use): <c>[domain/]path[:tag][@digest]</c>, lower-case path components joined by '.', '_', '__' or dashes,
/// at most 255 characters of name, tags of at most 128 word characters. Normalized like the container runtimes: a first
/// segment is a registry only if it holds '.' or ':' or is "localhost"; otherwise the registry is docker.io and a
/// one-segment name gets "library/"; index.docker.io is docker.io.</summary>
public sealed partial class ImageName
{
    public const string DockerHub = "docker.io";
    private const int MaxNameLength = 255; // distribution/reference NameTotalLengthMax

    private ImageName(string registry, string repository, string? tag, OciDigest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written (docker.io for Docker Hub), host[:port].</summary>
    public string Registry { get; }
    /// <summary>The repository path, with library/ for Docker Hub official images.</summary>
    public string Repository { get; }
    public string? Tag { get; }
    public OciDigest? Digest { get; }

    /// <summary>"registry/repository": the name cosign puts in a signature's docker-reference (go-containerregistry
    /// spells Docker Hub index.docker.io there).</summary>
    public string Name => $"{(Registry == DockerHub ? "index.docker.io" : Registry)}/{Repository}";

    /// <summary>The host the Distribution API is served on: Docker Hub's API lives at registry-1.docker.io.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>What to ask the registry for: the digest when there is one, else the tag, else "latest" (the
    /// runtimes' default tag).</summary>
    public string Reference => Digest?.ToString() ?? Tag ?? "latest";

    public ImageName WithDigest(OciDigest digest) => new(Registry, Repository, Tag, digest);
    public ImageName WithTag(string tag) => new(Registry, Repository, tag, null);

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";

    public static ImageName Parse(string text) =>
        TryParse(text, out var name, out var problem) ? name : throw new FormatException($"invalid image reference '{text}': {problem}");

    public static bool TryParse(string? text, out ImageName name, out string problem)
    {
        name = null!;
        if (string.IsNullOrEmpty(text)) { problem = "empty"; return false; }
        var rest = text;
        OciDigest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!OciDigest.TryParse(rest[(at + 1)..], out var d, out var digestProblem)) { problem = "digest " + digestProblem; return false; }
            digest = d;
            rest = rest[..at];
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag)) { problem = $"tag '{tag}' must be 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'"; return false; }
        }
        if (rest.Length == 0) { problem = "no repository name"; return false; }

        var registry = DockerHub;
        var path = rest;
        var slash = rest.IndexOf('/');
        if (slash > 0 && IsRegistry(rest[..slash]))
        {
            registry = rest[..slash];
            path = rest[(slash + 1)..];
            if (!DomainPattern().IsMatch(registry)) { problem = $"registry '{registry}' is not a host name with an optional port"; return false; }
            if (registry == "index.docker.io") registry = DockerHub;
        }
        foreach (var component in path.Split('/'))
            if (!ComponentPattern().IsMatch(component))
            {
                problem = component.Length == 0
                    ? "empty path component"
                    : $"path component '{component}' must be lower-case letters and digits joined by '.', '_', '__' or '-'";
                return false;
            }
        if (registry == DockerHub && !path.Contains('/')) path = "library/" + path;
        if (registry.Length + 1 + path.Length > MaxNameLength) { problem = $"name longer than {MaxNameLength} characters"; return false; }
        name = new ImageName(registry, path, tag, digest);
        problem = "";
        return true;
    }

    private static bool IsRegistry(string segment) => segment.Contains('.') || segment.Contains(':') || segment == "localhost";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    // domain-component ('.' domain-component)* [':' port], or a bracketed IPv6 address with an optional port.
    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
