using System.Text;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Bpf;

/// <summary>The syscall events of tp_btf/sys_enter (open, connect, privilege), attached with TracingAttach.</summary>

[Collection(KernelCollection.Name)]
public sealed class SyscallEventTests
{
    [SkippableFact]
    public async Task Openat_arrives_with_path_and_flags()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = TracingAttach.Attach(obj.Program("on_sys_enter"));
        var events = new CollectingConsumer();
        using var reader = new RingBufferReader(obj.Map("events"), events);
        reader.Start();
        var target = Path.Combine(Path.GetTempPath(), "secop-open-" + Guid.NewGuid().ToString("N"));

        var run = await cgroup.RunInside($"echo x > {target}");
        File.Delete(target);
        Assert.Equal(0, run.ExitCode);

        var open = await events.WaitFor(e => e.Type == NodeEventType.Open && Encoding.UTF8.GetString(e.Open.PathBytes) == target);
        Assert.NotNull(open);
        const uint writeOnly = 0x1, create = 0x40, truncate = 0x200;
        Assert.Equal(writeOnly | create | truncate, open.Value.Open.Flags & (writeOnly | create | truncate | 0x2));
        Assert.Equal(cgroup.ContainerCgroupId, open.Value.CgroupId);
    }

    [SkippableFact]
    public async Task Connect_and_setuid_arrive_with_their_arguments()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = TracingAttach.Attach(obj.Program("on_sys_enter"));
        var events = new CollectingConsumer();
        using var reader = new RingBufferReader(obj.Map("events"), events);
        reader.Start();

        // Loopback only: port 9 (discard) has no listener here, so the connect is refused, which is fine.
        await cgroup.RunInside("(exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null; setpriv --reuid=65534 /usr/bin/true");

        var seen = await events.WaitFor(e => e.Type == NodeEventType.Connect && e.Connect.Port == 9);
        Assert.NotNull(seen);
        Assert.Equal(ConnectPayload.InterNetwork, seen.Value.Connect.Family);
        Assert.Equal("127.0.0.1", seen.Value.Connect.IPAddress.ToString());
        // setpriv also calls capset (its own event); the uid change is setresuid(65534, 65534, -1) or similar.
        var priv = await events.WaitFor(e => e.Type == NodeEventType.Privilege && e.Privilege.Call == PrivilegeCall.Setresuid);
        Assert.NotNull(priv);
        unsafe
        {
            var p = priv.Value.Privilege;
            Assert.Equal(65534, p.Args[0]);
        }
    }
}
