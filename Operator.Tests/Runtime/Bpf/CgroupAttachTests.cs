using System.Net;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Bpf;

[Collection(KernelCollection.Name)]
public sealed class CgroupAttachTests
{
    [SkippableFact]
    public async Task A_denied_destination_gets_EPERM_and_others_do_not()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = CgroupAttach.Attach(obj.Program("block_connect4"), cgroup.KubepodsRoot);
        obj.Map("denied_destinations").Update(DestinationKeys.For(IPAddress.Parse("127.0.0.2"), 32), new DestinationRule { Rule = 7 });
        var events = new CollectingConsumer();
        using var reader = new RingBufferReader(obj.Map("events"), events);
        reader.Start();

        // Loopback addresses with no listener: an allowed connect is refused by the stack, a denied one by the program.
        var denied = await cgroup.RunInside("exec 3<>/dev/tcp/127.0.0.2/9");
        var allowed = await cgroup.RunInside("exec 3<>/dev/tcp/127.0.0.3/9");

        Assert.Contains("Operation not permitted", denied.Stderr);
        Assert.Contains("Connection refused", allowed.Stderr);
        var blocked = await events.WaitFor(e => e.Type == NodeEventType.ConnectBlocked);
        Assert.NotNull(blocked);
        Assert.Equal(7u, blocked.Value.Connect.Rule);
        Assert.Equal("127.0.0.2", blocked.Value.Connect.IPAddress.ToString());
        Assert.Equal(9, blocked.Value.Connect.Port);
    }

    [SkippableFact]
    public async Task Outside_the_attached_cgroup_nothing_is_blocked()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = CgroupAttach.Attach(obj.Program("block_connect4"), cgroup.KubepodsRoot);
        obj.Map("denied_destinations").Update(DestinationKeys.For(IPAddress.Parse("127.0.0.2"), 32), new DestinationRule { Rule = 1 });

        var outside = await Support.ProcessRunner.RunAsync("/bin/bash", ["-c", "exec 3<>/dev/tcp/127.0.0.2/9"]);

        Assert.Contains("Connection refused", outside.Stderr);
    }

    [SkippableFact]
    public void A_missing_cgroup_directory_is_named()
    {
        KernelTestEnvironment.SkipUnlessObject();
        using var obj = TestObject.OpenOnly();
        var error = Assert.Throws<BpfException>(() => CgroupAttach.Attach(obj.Program("block_connect4"), "/sys/fs/cgroup/does-not-exist-secop"));
        Assert.Contains("/sys/fs/cgroup/does-not-exist-secop", error.Message);
    }
}
