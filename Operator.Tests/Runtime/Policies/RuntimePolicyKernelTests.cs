using System.Collections.Concurrent;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Runtime;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Policies;
using SecurityOperator.Runtime.Sensor;
using SecurityOperator.Tests.Kube.Integration;
using static SecurityOperator.Tests.Runtime.Policies.RuntimePolicyFixtures;

namespace SecurityOperator.Tests.Runtime.Policies;

/// <summary>Policy runtime rules through the real kernel: two kubelet-shaped container cgroups, one of a pod the
/// policy targets (app=web) and one of a pod it does not (app=db); the maps are programmed the way the node role
/// does it (planner, programmer), and events go through the node's pipeline, detector and policy matcher.</summary>
[Collection(KernelCollection.Name)]
public sealed class RuntimePolicyKernelTests : IDisposable
{
    private readonly FakeKubeletCgroup _web = new();
    private readonly FakeKubeletCgroup _db = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("secop-rtpol-");
    private readonly ConcurrentQueue<RuntimeAlert> _alerts = new();
    private readonly ConcurrentQueue<RuntimeHit> _hits = new();
    private readonly RuntimeRuleTable _table = new();

    public void Dispose()
    {
        _web.Dispose();
        _db.Dispose();
        _dir.Delete(recursive: true);
    }

    private sealed record Agent(KernelSensor Sensor, RuntimeMapProgrammer Programmer, RuntimePlanner Planner) : IDisposable
    {
        public void Dispose() => Sensor.Dispose();
    }

    private Agent Start()
    {
        var mount = _web.Mount;
        var roots = new[] { _web.KubepodsRoot, _db.KubepodsRoot };
        var pods = new PodDirectory();
        pods.OnAdd(PodOf("shop", "web-1", _web.PodUid, "web", _web.ContainerId));
        pods.OnAdd(PodOf("shop", "db-1", _db.PodUid, "db", _db.ContainerId));
        var detector = new Detector(_alerts.Enqueue, new BootClock());
        var pipeline = new NodeEventPipeline(new CgroupDirectory(mount, roots), pods, detector, keepHostEvents: false);
        var sensor = KernelSensor.Start(new KernelSensorOptions
        {
            ContainerRoots = roots, CgroupV2Mount = mount, WakeupBytes = 0, RingBufferBytes = 1 << 20, BlockConnectCgroups = roots,
        }, pipeline);
        var programmer = new RuntimeMapProgrammer(new KernelRuntimeMaps(sensor), _table);
        pipeline.PolicyMatcher = new RuntimePolicyMatcher(_table, programmer, detector, _hits.Enqueue);
        // The test's processes share the agent's root filesystem: resolve there (openat2 below "/"), as the agent does
        // below /proc/<pid>/root of a container process.
        return new Agent(sensor, programmer, new RuntimePlanner(_table, (_, path) => ContainerFiles.IdentityBelow("/", path)));
    }

    private void Program(Agent agent, params CompiledPolicy[] policies)
    {
        var cgroups = new CgroupDirectory(_web.Mount, [_web.KubepodsRoot, _db.KubepodsRoot]).Scan();
        var pods = new[] { PodOf("shop", "web-1", _web.PodUid, "web", _web.ContainerId), PodOf("shop", "db-1", _db.PodUid, "db", _db.ContainerId) };
        var plan = agent.Planner.Plan(Snapshot(1, policies), pods, _ => null, cgroups);
        Assert.Empty(plan.Problems);
        agent.Programmer.Apply(plan);
    }

    [SkippableFact]
    public async Task A_policy_denied_path_is_killed_before_its_side_effect_only_in_the_targeted_pod_and_not_after_the_policy_is_gone()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        var denied = Path.Combine(_dir.FullName, "denied-touch");
        File.Copy("/usr/bin/touch", denied);
        using var agent = Start();
        Program(agent, Namespaced("shop", "no-tools", "web", $$"""[{"name":"no-touch","executables":["{{denied}}"],"response":["kill","event"]}]"""));
        Assert.Equal(1, agent.Programmer.ExecEntries);

        var webMarker = Path.Combine(_dir.FullName, "web-marker");
        var killed = await _web.RunInside($"exec {denied} {webMarker}");
        Assert.Equal(128 + 9, killed.ExitCode);
        Assert.False(File.Exists(webMarker), "the denied binary ran in the targeted pod: its side effect happened");

        var dbMarker = Path.Combine(_dir.FullName, "db-marker");
        var untouched = await _db.RunInside($"exec {denied} {dbMarker}");
        Assert.Equal(0, untouched.ExitCode);
        Assert.True(File.Exists(dbMarker), "the pod the policy does not target was stopped too");

        await Eventually.WaitUntilAsync(() => !_hits.IsEmpty, "the kill to reach the policy matcher");
        var hit = Assert.Single(_hits);
        Assert.Equal(("web-1", "no-touch", $"killed exec of {denied}"), (hit.Pod.PodName, hit.Binding.Rule.Name, hit.Outcome));
        var alert = Assert.Single(_alerts, a => a.Rule.Id.StartsWith("policy:", StringComparison.Ordinal));
        Assert.Equal("SecurityPolicy shop/no-tools runtime rule no-touch: denied executable killed", alert.Rule.Name);
        Assert.Equal(AlertPriority.Critical, alert.Rule.Priority);
        Assert.Contains(new KeyValuePair<string, string>("k8s.pod.name", "web-1"), alert.Fields);
        Assert.DoesNotContain(_alerts, a => a.Rule == BuiltInRules.DeniedExecutableKilled);

        Program(agent); // the policy is deleted
        Assert.Equal(0, agent.Programmer.ExecEntries);
        var after = await _web.RunInside($"exec {denied} {webMarker}");
        Assert.Equal(0, after.ExitCode);
        Assert.True(File.Exists(webMarker));
    }

    [SkippableFact]
    public async Task A_policy_denied_connect_gets_EPERM_only_in_the_targeted_pod()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var agent = Start();
        Program(agent, Namespaced("shop", "egress", "web", """[{"name":"no-127-0-0-2","connect":{"denied":[{"cidr":"127.0.0.2","port":9}]},"response":["block"]}]"""));

        // Loopback addresses with no listener: an allowed connect is refused by the stack, a denied one by the program.
        var denied = await _web.RunInside("exec 3<>/dev/tcp/127.0.0.2/9");
        var otherPort = await _web.RunInside("exec 3<>/dev/tcp/127.0.0.2/10");
        var otherPod = await _db.RunInside("exec 3<>/dev/tcp/127.0.0.2/9");
        Assert.Contains("Operation not permitted", denied.Stderr);
        Assert.Contains("Connection refused", otherPort.Stderr);
        Assert.Contains("Connection refused", otherPod.Stderr);
        await Eventually.WaitUntilAsync(() => !_hits.IsEmpty, "the block to reach the policy matcher");
        Assert.Equal("blocked connect to 127.0.0.2:9", Assert.Single(_hits).Outcome);
    }

    [SkippableFact]
    public async Task An_allow_list_blocks_every_other_destination_and_a_policy_change_updates_the_maps()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var agent = Start();
        Program(agent, Namespaced("shop", "egress", "web", """[{"name":"only-3","connect":{"allowed":[{"cidr":"127.0.0.3"}]},"response":["block"]}]"""));
        Assert.Contains("Connection refused", (await _web.RunInside("exec 3<>/dev/tcp/127.0.0.3/9")).Stderr);
        Assert.Contains("Operation not permitted", (await _web.RunInside("exec 3<>/dev/tcp/127.0.0.4/9")).Stderr);
        Assert.Contains("Connection refused", (await _db.RunInside("exec 3<>/dev/tcp/127.0.0.4/9")).Stderr);

        // Now the same rule only alerts (warn mode): the connect goes through and is reported.
        Program(agent, Namespaced("shop", "egress", "web", """[{"name":"only-3","connect":{"allowed":[{"cidr":"127.0.0.3"}]},"response":["block"]}]""", mode: "warn"));
        Assert.Contains("Connection refused", (await _web.RunInside("exec 3<>/dev/tcp/127.0.0.4/9")).Stderr);
        await Eventually.WaitUntilAsync(() => _hits.Any(h => h.Outcome == "connect to denied 127.0.0.4:9"), "the alert-only match");

        Program(agent);
        Assert.Equal((0, 0), (agent.Programmer.DestinationEntries, agent.Programmer.ConnectModes));
    }

    [SkippableFact]
    public async Task A_sensitive_path_open_alerts_in_the_targeted_pod()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        var secret = Path.Combine(_dir.FullName, "secret.key");
        File.WriteAllText(secret, "x");
        using var agent = Start();
        Program(agent, Namespaced("shop", "files", "web", $$"""[{"name":"keys","sensitivePaths":["{{_dir.FullName}}/*.key"],"response":["event"]}]"""));

        await _db.RunInside($"exec /usr/bin/cat {secret}");
        await _web.RunInside($"exec /usr/bin/cat {secret}");
        await Eventually.WaitUntilAsync(() => !_hits.IsEmpty, "the sensitive open");
        var hit = Assert.Single(_hits);
        Assert.Equal(("web-1", $"open of sensitive {secret}"), (hit.Pod.PodName, hit.Outcome));
    }
}
