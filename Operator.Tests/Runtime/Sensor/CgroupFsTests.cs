using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Tests.Runtime.Sensor;

public sealed class CgroupFsTests
{
    [Fact]
    public void A_pure_v2_host_has_it_at_sys_fs_cgroup() =>
        Assert.Equal("/sys/fs/cgroup", CgroupFs.FindV2Mount("25 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev - cgroup2 cgroup2 rw,nsdelegate\n"));

    [Fact]
    public void A_hybrid_host_has_it_at_unified()
    {
        const string mountinfo = "30 25 0:26 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755\n" +
                                 "31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n" +
                                 "32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        Assert.Equal("/sys/fs/cgroup/unified", CgroupFs.FindV2Mount(mountinfo));
    }

    [Fact]
    public void The_hosts_hierarchy_mounted_over_the_containers_wins()
    {
        const string mountinfo = "700 690 0:30 /kubepods.slice/x.scope /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n" +
                                 "720 700 0:30 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n";
        Assert.Equal("/sys/fs/cgroup", CgroupFs.FindV2Mount(mountinfo));
    }

    [Fact]
    public void No_cgroup2_gives_null() => Assert.Null(CgroupFs.FindV2Mount("30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"));

    [Theory]
    [InlineData("/sys/fs/cgroup", "/sys/fs/cgroup", 0u)]
    [InlineData("/sys/fs/cgroup", "/sys/fs/cgroup/kubepods.slice", 1u)]
    [InlineData("/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/a/kubepods", 2u)]
    public void Levels_count_directories_below_the_mount(string mount, string directory, uint level) =>
        Assert.Equal(level, CgroupFs.LevelOf(mount, directory));

    [Fact]
    public void A_directory_outside_the_mount_is_refused() =>
        Assert.Contains("not inside", Assert.Throws<ArgumentException>(() => CgroupFs.LevelOf("/sys/fs/cgroup", "/tmp/x")).Message);
}
