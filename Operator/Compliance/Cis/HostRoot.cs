namespace SecurityOperator.Compliance.Cis;

/// <summary>The host's file system as seen from this process: "/" on a node itself, the read-only mount of the host
/// (e.g. /host) in the node agent's pod, or a directory tree in tests (--host-root). Absolute host paths are resolved
/// under it; symbolic links with absolute targets are resolved under it too, so nothing escapes to the container's
/// own files.</summary>
public sealed class HostRoot
{
    private const int MaxLinkHops = 16;

    public HostRoot(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("--host-root: must name a directory", nameof(directory));
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The local path of host path <paramref name="hostPath"/> (absolute, or taken as relative to the host's /).</summary>
    public string Resolve(string hostPath) => Path.Join(Directory, hostPath.TrimStart('/'));

    /// <summary>Like <see cref="Resolve"/>, following symbolic links of the final entry the way the host would (absolute
    /// targets are host paths). Returns the host path reached and its local path.</summary>
    public (string HostPath, string LocalPath) ResolveLinks(string hostPath)
    {
        var current = hostPath;
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            var local = Resolve(current);
            var info = new FileInfo(local);
            if (info.LinkTarget is not { } target) return (current, local);
            current = target.StartsWith('/') ? target : $"{Path.GetDirectoryName(current)?.Replace('\\', '/')}/{target}";
        }
        throw new IOException($"{hostPath}: more than {MaxLinkHops} symbolic links");
    }

    public bool Exists(string hostPath)
    {
        var local = Resolve(hostPath);
        return File.Exists(local) || System.IO.Directory.Exists(local);
    }
}
