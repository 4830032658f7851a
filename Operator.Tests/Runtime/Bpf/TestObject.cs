using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Tests.Runtime.Bpf;

/// <summary>The embedded object loaded with events filtered to one fake kubelet tree (so the rest of this shared
/// machine produces none) and immediate wakeups (so tests see records without waiting for a batch).</summary>
internal static class TestObject
{
    public static BpfObject Load(FakeKubeletCgroup cgroup)
    {
        var config = new AgentConfig { FilterContainers = 1, WakeupBytes = 0 };
        config.Roots[0] = new ContainerRoot { CgroupId = CgroupFs.IdOf(cgroup.KubepodsRoot), Level = CgroupFs.LevelOf(cgroup.Mount, cgroup.KubepodsRoot) };
        var loaded = ObjectLoader.LoadWhatLoads(EmbeddedObject.Read(), KernelSensor.ObjectName, obj =>
        {
            obj.SetReadOnlyGlobal("agent_config", config);
            obj.SetMaxEntries("events", 1 << 20);
        });
        Assert.Empty(loaded.Failures);
        return loaded.Object;
    }

    public static BpfObject OpenOnly() => BpfObject.Open(EmbeddedObject.Read(), KernelSensor.ObjectName);
}
