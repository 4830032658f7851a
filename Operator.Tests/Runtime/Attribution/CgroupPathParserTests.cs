using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Tests.Runtime.Attribution;

public sealed class CgroupPathParserTests
{
    private const string Uid = "0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b";
    private const string UidUnderscored = "0b8a5f4e_9c2d_4e6f_8a1b_3c5d7e9f1a2b";
    private const string Id = "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b";

    [Theory]
    // systemd driver, each runtime and QoS class
    [InlineData($"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{UidUnderscored}.slice/cri-containerd-{Id}.scope", "containerd", "burstable")]
    [InlineData($"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{UidUnderscored}.slice/crio-{Id}.scope", "cri-o", "besteffort")]
    [InlineData($"/kubepods.slice/kubepods-pod{UidUnderscored}.slice/docker-{Id}.scope", "docker", "guaranteed")]
    // cgroupfs driver: the bare id, Guaranteed without a qos segment
    [InlineData($"/kubepods/burstable/pod{Uid}/{Id}", "", "burstable")]
    [InlineData($"/kubepods/besteffort/pod{Uid}/{Id}", "", "besteffort")]
    [InlineData($"/kubepods/pod{Uid}/{Id}", "", "guaranteed")]
    // a kubelet --cgroup-root or a nested hierarchy before kubepods
    [InlineData($"/kube/kubepods/pod{Uid}/{Id}", "", "guaranteed")]
    [InlineData($"/secop-test-1/kubepods.slice/kubepods-pod{UidUnderscored}.slice/cri-containerd-{Id}.scope", "containerd", "guaranteed")]
    // no leading slash (a path relative to the mount)
    [InlineData($"kubepods/pod{Uid}/{Id}", "", "guaranteed")]
    public void Kubelet_shapes_give_pod_uid_and_container_id(string path, string runtime, string qos)
    {
        var parsed = CgroupPathParser.Parse(path);

        Assert.NotNull(parsed);
        Assert.Equal(Uid, parsed.PodUid);
        Assert.Equal(Id, parsed.ContainerId);
        Assert.Equal(runtime, parsed.Runtime);
        Assert.Equal(qos, parsed.QosClass);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/system.slice/containerd.service")]
    [InlineData("/user.slice/user-0.slice/session-1.scope")]
    [InlineData("/kubepods.slice")]
    [InlineData("/kubepods.slice/kubepods-burstable.slice")]
    [InlineData($"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{UidUnderscored}.slice")] // the pod, not a container
    [InlineData($"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{UidUnderscored}.slice/crio-conmon-{Id}.scope")]
    [InlineData($"/kubepods.slice/kubepods-burstable.slice/kubepods-besteffort-pod{UidUnderscored}.slice/crio-{Id}.scope")] // qos mismatch
    [InlineData($"/kubepods.slice/kubepods-pod{Uid}.slice/crio-{Id}.scope")] // dashes in a slice name nest slices
    [InlineData($"/kubepods.slice/kubepods-pod{UidUnderscored}.slice/podman-{Id}.scope")]
    [InlineData($"/kubepods.slice/kubepods-pod{UidUnderscored}.slice/crio-{Id}")]
    [InlineData($"/kubepods/burstable/pod{Uid}")]
    [InlineData($"/kubepods/guaranteed/pod{Uid}/{Id}")]
    [InlineData($"/kubepods/pod{Uid}/{Id}x")]
    [InlineData($"/kubepods/pod{Uid}/ABCDEF")]
    [InlineData($"/kubepods/pod0b8a5f4e-9c2d-4e6f-8a1b/{Id}")]
    [InlineData($"/kubepods/pod{Uid}/{Id}/extra")]
    public void Other_paths_are_not_containers(string path) => Assert.Null(CgroupPathParser.Parse(path));

    [Fact]
    public void A_path_deeper_than_any_kubelet_path_is_not_a_container() =>
        Assert.Null(CgroupPathParser.Parse(string.Concat(Enumerable.Repeat("/a", 40)) + $"/kubepods/pod{Uid}/{Id}"));

    [Fact]
    public void Proc_cgroup_of_a_v2_host_uses_the_unified_line() =>
        Assert.Equal(Id, ProcCgroupParser.Parse($"0::/kubepods.slice/kubepods-pod{UidUnderscored}.slice/cri-containerd-{Id}.scope\n")!.ContainerId);

    [Fact]
    public void Proc_cgroup_of_a_v1_host_uses_a_controller_line()
    {
        var text = $"12:pids:/kubepods/besteffort/pod{Uid}/{Id}\n11:memory:/kubepods/besteffort/pod{Uid}/{Id}\n1:name=systemd:/kubepods/besteffort/pod{Uid}/{Id}\n0::/\n";

        var parsed = ProcCgroupParser.Parse(text);

        Assert.Equal(Uid, parsed!.PodUid);
        Assert.Equal("besteffort", parsed.QosClass);
        Assert.Equal(Id, parsed.ContainerId);
    }

    [Fact]
    public void Proc_cgroup_of_a_host_process_has_no_container() =>
        Assert.Null(ProcCgroupParser.Parse("12:pids:/system.slice/sshd.service\n0::/system.slice/sshd.service\n"));

}
