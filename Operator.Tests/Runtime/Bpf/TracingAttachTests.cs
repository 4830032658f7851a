using System.Text;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Bpf;

[Collection(KernelCollection.Name)]
public sealed class TracingAttachTests
{
    [SkippableFact]
    public async Task Exec_in_the_container_cgroup_arrives_with_the_resolved_filename_and_cgroup()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = TracingAttach.Attach(obj.Program("on_exec"));
        var events = new CollectingConsumer();
        using var reader = new RingBufferReader(obj.Map("events"), events);
        reader.Start();

        var run = await cgroup.RunInside("exec /usr/bin/true");
        Assert.Equal(0, run.ExitCode);

        var exec = await events.WaitFor(e => e.Type == NodeEventType.Exec && Encoding.UTF8.GetString(e.Exec.FilenameBytes) == "/usr/bin/true");
        Assert.NotNull(exec);
        Assert.Equal(cgroup.ContainerCgroupId, exec.Value.CgroupId);
        Assert.Equal("true", Encoding.UTF8.GetString(exec.Value.CommBytes));
        Assert.NotEqual(0UL, exec.Value.Exec.Inode);
    }

    [SkippableFact]
    public async Task Processes_outside_the_container_roots_are_filtered_in_the_kernel()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        using var obj = TestObject.Load(cgroup);
        using var link = TracingAttach.Attach(obj.Program("on_exec"));
        var events = new CollectingConsumer();
        using var reader = new RingBufferReader(obj.Map("events"), events);
        reader.Start();

        var marker = "/usr/bin/env";
        await Support.ProcessRunner.RunAsync(marker, ["true"]); // outside: not in the fake tree
        await cgroup.RunInside("exec /usr/bin/true");           // inside, so we know the reader has caught up
        Assert.NotNull(await events.WaitFor(e => Encoding.UTF8.GetString(e.Exec.FilenameBytes) == "/usr/bin/true"));
        Assert.DoesNotContain(events.Snapshot(), e => Encoding.UTF8.GetString(e.Exec.FilenameBytes) == marker);
    }

    [SkippableFact]
    public void A_program_of_another_section_is_refused_with_its_section_named()
    {
        KernelTestEnvironment.SkipUnlessObject();
        using var obj = TestObject.OpenOnly();
        var error = Assert.Throws<ArgumentException>(() => TracingAttach.Attach(obj.Program("block_connect4")));
        Assert.Contains("cgroup/connect4", error.Message);
    }
}
