using SecurityOperator.Kube.Models;
using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Tests.Runtime.Attribution;

public sealed class PodDirectoryTests
{
    private static Pod PodWith(params (string Name, string? Id)[] containers) => new()
    {
        Metadata = new ObjectMeta { Namespace = "shop", Name = "web", Uid = "u-1" },
        Status = new PodStatus { ContainerStatuses = containers.Select(c => new ContainerStatus { Name = c.Name, ContainerId = c.Id, Image = "img" }).ToList() },
    };

    [Fact]
    public void Containers_are_found_by_their_id_without_the_runtime_prefix()
    {
        var directory = new PodDirectory();
        directory.OnAdd(PodWith(("nginx", "containerd://abc"), ("sidecar", "cri-o://def"), ("starting", "")));

        Assert.Equal("nginx", directory.Find("abc")!.ContainerName);
        Assert.Equal("shop", directory.Find("def")!.Namespace);
        Assert.Equal(2, directory.Count);
    }

    [Fact]
    public void A_restarted_container_replaces_its_old_id_and_a_deleted_pod_leaves()
    {
        var directory = new PodDirectory();
        var first = PodWith(("nginx", "containerd://old"));
        directory.OnAdd(first);
        var restarted = PodWith(("nginx", "containerd://new"));

        directory.OnUpdate(first, restarted);
        Assert.Null(directory.Find("old"));
        Assert.NotNull(directory.Find("new"));

        directory.OnDelete(restarted);
        Assert.Equal(0, directory.Count);
    }

    [Theory]
    [InlineData("containerd://abc", "abc")]
    [InlineData("docker://abc", "abc")]
    [InlineData("abc", "abc")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("containerd://", null)]
    public void Runtime_prefixes_are_stripped(string? id, string? expected) => Assert.Equal(expected, PodDirectory.StripRuntime(id));
}
