using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Tests.Runtime.Attribution;

/// <summary>Over a plain directory tree shaped like a kubelet's (ids from a fake lookup): the walk, the parse, the index.</summary>
public sealed class CgroupDirectoryTests : IDisposable
{
    private const string Uid = "0b8a5f4e_9c2d_4e6f_8a1b_3c5d7e9f1a2b";
    private readonly string _mount = Directory.CreateTempSubdirectory("secop-cgroups-").FullName;
    private readonly Dictionary<string, ulong> _ids = new();

    public void Dispose() => Directory.Delete(_mount, recursive: true);

    private string Make(string relative, ulong id)
    {
        var path = Path.Combine(_mount, relative.TrimStart('/'));
        Directory.CreateDirectory(path);
        _ids[path] = id;
        return path;
    }

    [Fact]
    public void Container_cgroups_below_the_roots_are_indexed_by_id()
    {
        var id = new string('c', 64);
        Make($"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{Uid}.slice/cri-containerd-{id}.scope", 7);
        Make($"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{Uid}.slice/crio-conmon-{id}.scope", 8);
        var directory = new CgroupDirectory(_mount, [Path.Combine(_mount, "kubepods.slice")], p => _ids[p]);

        Assert.Equal(id, directory.Find(7)!.ContainerId);
        Assert.Null(directory.Find(8));
        Assert.Equal(1, directory.Count);
    }

    [Fact]
    public void A_container_started_later_is_found_after_the_rescan_interval()
    {
        var directory = new CgroupDirectory(_mount, [Path.Combine(_mount, "kubepods")], p => _ids[p]);
        Assert.Null(directory.Find(9));
        Make($"/kubepods/pod{Uid.Replace('_', '-')}/{new string('d', 64)}", 9);

        Thread.Sleep(CgroupDirectory.RescanInterval + TimeSpan.FromMilliseconds(50));

        Assert.NotNull(directory.Find(9));
    }
}
