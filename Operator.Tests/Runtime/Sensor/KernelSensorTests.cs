using System.Text;
using System.Text.Json;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Runtime.Sensor;

[Collection(KernelCollection.Name)]
public sealed class KernelSensorTests
{
    private static KernelSensorOptions OptionsFor(FakeKubeletCgroup cgroup) => new()
    {
        ContainerRoots = [cgroup.KubepodsRoot],
        CgroupV2Mount = cgroup.Mount,
        WakeupBytes = 0,
        RingBufferBytes = 1 << 20,
        BlockConnectCgroups = [cgroup.KubepodsRoot],
    };

    [SkippableFact]
    public async Task A_denied_executable_is_killed_before_its_side_effect()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        var dir = Directory.CreateTempSubdirectory("secop-kill-");
        try
        {
            var denied = Path.Combine(dir.FullName, "denied-touch");
            File.Copy("/usr/bin/touch", denied);
            var marker = Path.Combine(dir.FullName, "marker");
            var events = new CollectingConsumer();
            using var sensor = KernelSensor.Start(OptionsFor(cgroup), events);
            sensor.DeniedExecs.Update(ExecutableIdentity.Of(denied), new ExecRule { Rule = 3 });

            var run = await cgroup.RunInside($"exec {denied} {marker}");

            Assert.Equal(128 + 9, run.ExitCode); // killed by SIGKILL
            Assert.False(File.Exists(marker), "the denied binary ran: its side effect happened");
            var killed = await events.WaitFor(e => e.Type == NodeEventType.ExecKilled);
            Assert.NotNull(killed);
            Assert.Equal(3u, killed.Value.Exec.Rule);
            Assert.Equal(denied, Encoding.UTF8.GetString(killed.Value.Exec.FilenameBytes));
            Assert.Equal(1UL, sensor.Counter(KernelCounter.Kills));

            var allowed = await cgroup.RunInside($"exec /usr/bin/touch {marker}");
            Assert.Equal(0, allowed.ExitCode);
            Assert.True(File.Exists(marker));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task Every_program_attaches_and_stopping_leaves_no_program_or_link_behind()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        Skip.If(!File.Exists("/usr/sbin/bpftool"), "bpftool not installed (scripts/install-prereqs.sh)");
        using var cgroup = new FakeKubeletCgroup();
        var programsBefore = await Ids("prog");
        var linksBefore = await Ids("link");

        var sensor = KernelSensor.Start(OptionsFor(cgroup), new CollectingConsumer());
        var ours = (await Ids("prog")).Except(programsBefore).ToList();
        var ourLinks = (await Ids("link")).Except(linksBefore).ToList();
        Assert.Empty(sensor.Problems);
        foreach (var program in new[] { "on_exec", "on_exit", "on_sys_enter", "block_connect4", "block_connect6" })
            Assert.True(sensor.IsAttached(program), $"{program} is not attached");
        Assert.True(ours.Count >= 5, $"bpftool shows {ours.Count} new programs");
        Assert.Equal(5, ourLinks.Count);
        sensor.Dispose();

        // The kernel frees a released program after an RCU grace period (tracing programs after an RCU-tasks one,
        // which can take a while on a busy machine): wait for it, boundedly.
        var left = ours.Concat(ourLinks).ToList();
        for (var attempt = 0; attempt < 100 && left.Count > 0; attempt++)
        {
            await Task.Delay(200);
            var present = (await Ids("prog")).Concat(await Ids("link")).ToHashSet();
            left = ours.Where(present.Contains).Concat(ourLinks.Where(present.Contains)).ToList();
        }
        Assert.Empty(left);
    }

    [SkippableFact]
    public async Task Counters_count_the_events_sent()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        var events = new CollectingConsumer();
        using var sensor = KernelSensor.Start(OptionsFor(cgroup), events);

        await cgroup.RunInside("exec /usr/bin/true");
        Assert.NotNull(await events.WaitFor(e => e.Type == NodeEventType.Exit));

        Assert.Equal((ulong)events.Snapshot().Count, sensor.Counter(KernelCounter.Events));
        Assert.Equal(0UL, sensor.Counter(KernelCounter.Drops));
    }

    private static async Task<HashSet<long>> Ids(string kind)
    {
        var result = await ProcessRunner.RunAsync("/usr/sbin/bpftool", ["-j", kind, "show"]);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(result.Stdout) ? "[]" : result.Stdout);
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToHashSet();
    }
}
