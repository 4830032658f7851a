using SecurityOperator.Runtime.Policies;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Tests.Runtime.Policies;

public sealed class ContainerFilesTests
{
    [Fact]
    public void A_path_resolves_to_the_file_identity_stat_reports()
    {
        var dir = Directory.CreateTempSubdirectory("secop-files-");
        try
        {
            var file = Path.Combine(dir.FullName, "tool");
            File.WriteAllText(file, "#!/bin/sh\n");
            var expected = ExecutableIdentity.Of(file);
            var actual = ContainerFiles.Identity(Environment.ProcessId, file)!.Value;
            Assert.Equal((expected.Inode, expected.Device), (actual.Inode, actual.Device));
            Assert.Null(ContainerFiles.Identity(Environment.ProcessId, Path.Combine(dir.FullName, "absent")));
            Assert.Null(ContainerFiles.Identity(Environment.ProcessId, Path.Combine(file, "below-a-file")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Absolute_symlinks_and_dotdot_stay_inside_the_root()
    {
        // A container image where /bin/tool -> /opt/tool (absolute): the agent must find the container's /opt/tool,
        // not the host's.
        var root = Directory.CreateTempSubdirectory("secop-root-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "bin"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "opt"));
            var target = Path.Combine(root.FullName, "opt", "tool");
            File.WriteAllText(target, "x");
            File.CreateSymbolicLink(Path.Combine(root.FullName, "bin", "tool"), "/opt/tool");
            File.CreateSymbolicLink(Path.Combine(root.FullName, "bin", "escape"), "../../../../../../etc/passwd");

            var viaLink = ContainerFiles.IdentityBelow(root.FullName, "/bin/tool")!.Value;
            var direct = ExecutableIdentity.Of(target);
            Assert.Equal((direct.Inode, direct.Device), (viaLink.Inode, viaLink.Device));
            // ".." cannot climb above the root: /etc/passwd of the root (absent here), not the host's.
            Assert.Null(ContainerFiles.IdentityBelow(root.FullName, "/bin/escape"));
            Assert.Null(ContainerFiles.IdentityBelow(root.FullName, "/../../etc/passwd"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_process_that_does_not_exist_is_an_error_not_an_absent_file()
    {
        var e = Assert.Throws<IOException>(() => ContainerFiles.Identity(int.MaxValue, "/bin/sh"));
        Assert.Contains($"/proc/{int.MaxValue}/root", e.Message);
    }
}
