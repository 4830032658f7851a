using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime.Attribution;

/// <summary>cgroup id → container, for the ids events carry. A cgroup v2 id is its directory's inode (kernfs node
/// id), so the container cgroups below the roots are walked, parsed with <see cref="CgroupPathParser"/> and indexed
/// by id. An unknown id triggers a new walk (a container started since), at most once per <see cref="RescanInterval"/>.
/// Single-threaded: the ring buffer thread is its only caller.</summary>
public sealed class CgroupDirectory(string mount, IReadOnlyList<string> roots, Func<string, ulong>? idOf = null)
{
    /// <summary>200 ms: a new container's first events wait at most this long for attribution, and a flood of events
    /// from non-container cgroups (filter off) costs at most 5 walks a second.</summary>
    public static readonly TimeSpan RescanInterval = TimeSpan.FromMilliseconds(200);

    private readonly Func<string, ulong> _idOf = idOf ?? CgroupFs.IdOf;
    private Dictionary<ulong, ContainerRef> _byId = new();
    private long _lastScan = long.MinValue;

    public int Count => _byId.Count;

    public ContainerRef? Find(ulong cgroupId)
    {
        if (_byId.TryGetValue(cgroupId, out var found)) return found;
        var now = Environment.TickCount64;
        if (_lastScan != long.MinValue && now - _lastScan < RescanInterval.TotalMilliseconds) return null;
        _lastScan = now;
        Rescan();
        return _byId.GetValueOrDefault(cgroupId);
    }

    /// <summary>Walks the roots (kubelet paths are at most 3 levels below them) and rebuilds the index.</summary>
    public void Rescan()
    {
        var index = new Dictionary<ulong, ContainerRef>();
        foreach (var found in Scan()) index[found.Id] = found.Container;
        _byId = index;
    }

    /// <summary>Every container cgroup below the roots now, with its directory and id.</summary>
    public IReadOnlyList<ContainerCgroup> Scan()
    {
        var found = new List<ContainerCgroup>();
        foreach (var root in roots) Walk(root, 0, found);
        return found;
    }

    private void Walk(string directory, int depth, List<ContainerCgroup> index)
    {
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(directory);
            foreach (var child in children)
            {
                var relative = "/" + Path.GetRelativePath(mount, child);
                if (CgroupPathParser.Parse(relative) is { } container)
                {
                    try
                    {
                        index.Add(new ContainerCgroup(child, _idOf(child), container));
                    }
                    catch (IOException)
                    {
                        // removed between listing and lookup: the container is gone
                    }
                }
                else if (depth < 3)
                {
                    Walk(child, depth + 1, index);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a cgroup removed while walking
        }
    }
}
