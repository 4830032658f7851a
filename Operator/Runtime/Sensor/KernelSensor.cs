using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Sensor;

/// <summary>The loaded and attached eBPF side of the agent: the embedded object configured (rodata, ring buffer
/// size), loaded with what this kernel accepts, every loaded program attached, and the ring buffer drained into a
/// consumer. Disposing detaches every link and closes the object: nothing of the agent stays in the kernel.</summary>
public sealed class KernelSensor : IDisposable
{
    public const string ObjectName = "secop";
    private static readonly string[] ConnectBlockPrograms = ["block_connect4", "block_connect6"];

    private readonly BpfObject _object;
    private readonly List<BpfLink> _links = [];
    private readonly List<string> _problems = [];
    private RingBufferReader? _reader;
    private readonly ulong[] _perCpu;

    private KernelSensor(LoadedObject loaded)
    {
        _object = loaded.Object;
        foreach (var failure in loaded.Failures) _problems.Add(failure.ToString());
        _perCpu = new ulong[BpfMap.PossibleCpus];
    }

    public IReadOnlyList<BpfLink> Links => _links;

    /// <summary>Every program that did not load or attach, each naming the program and the missing kernel feature.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public BpfMap DeniedExecs => _object.Map("denied_execs");

    public BpfMap DeniedDestinations => _object.Map("denied_destinations");

    public BpfMap ConnectModes => _object.Map("connect_modes");

    public RingBufferReader Reader => _reader ?? throw new InvalidOperationException("the sensor is not started");

    /// <summary>Whether the named program is loaded and attached.</summary>
    public bool IsAttached(string program) => _links.Any(l => l.Program == program && l.IsAttached);

    /// <summary>Loads and attaches. Throws only when nothing useful can run (no object in this build, no privilege,
    /// no BTF at all); a program the kernel refuses is left out and listed in <see cref="Problems"/>.</summary>
    public static KernelSensor Start(KernelSensorOptions options, IRingBufferConsumer consumer, ILogger? logger = null)
    {
        var log = logger ?? NullLogger.Instance;
        var image = EmbeddedObject.Read() ?? throw new InvalidOperationException(
            "this build has no eBPF object: bpf/build.sh found no clang/bpftool/kernel BTF when it was built");
        var config = BuildConfig(options);
        var loaded = ObjectLoader.LoadWhatLoads(image, ObjectName, obj =>
        {
            CheckLayout(obj);
            obj.SetReadOnlyGlobal("agent_config", config);
            obj.SetMaxEntries("events", options.RingBufferBytes);
        });
        var sensor = new KernelSensor(loaded);
        try
        {
            sensor.AttachAll(options);
            sensor._reader = new RingBufferReader(sensor._object.Map("events"), consumer);
            sensor._reader.Start();
        }
        catch
        {
            sensor.Dispose();
            throw;
        }
        foreach (var problem in sensor._problems) log.LogWarning("eBPF: {Problem}; the agent runs without it", problem);
        log.LogInformation("eBPF: {Count} programs attached: {Programs}", sensor._links.Count, string.Join(", ", sensor._links.Select(l => l.Program)));
        return sensor;
    }

    private static AgentConfig BuildConfig(KernelSensorOptions options)
    {
        var config = new AgentConfig
        {
            FilterContainers = options.FilterContainers ? 1u : 0u,
            WakeupBytes = options.WakeupBytes,
            SelfPid = options.SelfPid,
        };
        if (options.ContainerRoots.Count > AgentConfig.MaxContainerRoots)
            throw new ArgumentException($"at most {AgentConfig.MaxContainerRoots} container cgroup roots are supported, got {options.ContainerRoots.Count}");
        if (options.FilterContainers && options.ContainerRoots.Count > 0)
        {
            var mount = options.CgroupV2Mount ?? CgroupFs.FindV2Mount()
                ?? throw new InvalidOperationException("no cgroup2 filesystem is mounted: container filtering needs cgroup v2 (or hybrid) ids");
            for (var i = 0; i < options.ContainerRoots.Count; i++)
                config.Roots[i] = new ContainerRoot { CgroupId = CgroupFs.IdOf(options.ContainerRoots[i]), Level = CgroupFs.LevelOf(mount, options.ContainerRoots[i]) };
        }
        return config;
    }

    /// <summary>Refuses an object whose structs are not the ones the C# mirrors describe (a stale build).</summary>
    private static unsafe void CheckLayout(BpfObject obj)
    {
        Check(obj, "event", sizeof(NodeEvent));
        Check(obj, "agent_config", sizeof(AgentConfig));
        Check(obj, "exec_key", sizeof(ExecKey));
        Check(obj, "destination_key", sizeof(DestinationKey));
        Check(obj, "destination_rule", sizeof(DestinationRule));
        Check(obj, "exec_rule", sizeof(ExecRule));
        Check(obj, "connect_mode", sizeof(ConnectMode));

        static void Check(BpfObject obj, string name, int expected)
        {
            var actual = BtfLayout.SizeOf(obj.Btf, name);
            if (actual != expected)
                throw new InvalidOperationException($"eBPF object: struct {name} is {actual} bytes in bpf/event.h but {expected} in Operator/Runtime/Events: rebuild both from one source");
        }
    }

    private void AttachAll(KernelSensorOptions options)
    {
        foreach (var program in _object.Programs)
        {
            if (!_object.IsEnabled(program)) continue;
            try
            {
                if (program.Section.StartsWith(TracingAttach.SectionPrefix, StringComparison.Ordinal)) _links.Add(TracingAttach.Attach(program));
                else if (ConnectBlockPrograms.Contains(program.Name))
                    foreach (var cgroup in options.BlockConnectCgroups) _links.Add(CgroupAttach.Attach(program, cgroup));
            }
            catch (BpfException e)
            {
                _problems.Add($"program '{program.Name}' ({program.Section}) does not attach on this kernel: {e.Message}; it needs {program.Feature}");
            }
        }
    }

    /// <summary>Sum over CPUs of one kernel counter.</summary>
    public ulong Counter(KernelCounter counter) => _object.Map("counters").SumPerCpu((uint)counter, _perCpu);

    public void Dispose()
    {
        _reader?.Dispose();
        foreach (var link in _links) link.Dispose();
        _object.Dispose();
    }
}
