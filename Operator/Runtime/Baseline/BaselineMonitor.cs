using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Learns and checks each workload's behaviour on the event thread: executables, directory prefixes of
/// opened files and connect destinations. While a workload's window is open new entries are learned; afterwards an
/// entry outside the baseline raises an anomaly alert with a score, at most once per <see cref="BaselineOptions.AlertRepeat"/>.
/// Known entries cost a hash and a look-up and allocate nothing.</summary>
public sealed class BaselineMonitor(BaselineOptions options, WorkloadDirectory? workloads, Action<RuntimeAlert> raise, BootClock clock, bool persistent)
{
    private const uint OWriteOnly = 0x1, OReadWrite = 0x2, OCreate = 0x40, OTruncate = 0x200;

    /// <summary>Pod UIDs cached by the event thread; cleared when it grows past this (pods come and go).</summary>
    public const int MaxCachedPods = 4096;

    private readonly ConcurrentDictionary<WorkloadRef, WorkloadBaseline> _baselines = new();
    private readonly Dictionary<string, WorkloadBaseline> _byPodUid = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WorkloadBaseline> _toLoad = new();

    public BaselineOptions Options => options;

    public ICollection<WorkloadBaseline> Baselines => _baselines.Values;

    /// <summary>Workloads seen whose stored baseline must be read before their events count.</summary>
    public bool TryTakeLoad(out WorkloadBaseline baseline) => _toLoad.TryDequeue(out baseline!);

    public WorkloadBaseline? Find(WorkloadRef workload) => _baselines.GetValueOrDefault(workload);

    public void Observe(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        if (e.Type is not (NodeEventType.Exec or NodeEventType.Open or NodeEventType.Connect) || container == ContainerRef.Host) return;
        var baseline = BaselineOf(container, pod, out var containerName);
        if (baseline is null) return;
        var now = clock.ToWallClock(e.TimeNs);
        Span<byte> prefix = stackalloc byte[BaselineKeys.MaxPrefixBytes];
        BaselineKind kind;
        ulong hash, subnet = 0;
        switch (e.Type)
        {
            case NodeEventType.Exec:
                kind = BaselineKind.Executable;
                if (e.Exec.FilenameBytes.IsEmpty) return;
                hash = BaselineKeys.Hash(kind, e.Exec.FilenameBytes);
                break;
            case NodeEventType.Open:
                kind = BaselineKind.PathPrefix;
                var length = BaselineKeys.PathPrefix(e.Open.PathBytes, options.PathDepth, prefix);
                if (length == 0) return; // relative to a directory fd: no absolute path
                prefix = prefix[..length];
                hash = BaselineKeys.Hash(kind, prefix);
                break;
            default:
                if (e.Connect.Family is not (ConnectPayload.InterNetwork or ConnectPayload.InterNetworkV6)) return;
                kind = BaselineKind.Destination;
                hash = BaselineKeys.Destination(e.Connect, out subnet);
                break;
        }

        RuntimeAlert? alert = null;
        lock (baseline.Gate)
        {
            if (!baseline.Loaded) return;
            baseline.StartLearningIfNew(now);
            var entries = baseline.Container(containerName) ?? ContainerBaseline.Empty;
            if (entries.Contains(kind, hash)) return;
            if (baseline.IsLearning(now))
            {
                baseline.Learn(containerName, kind, hash, EntryText(e, kind, prefix), subnet);
                return;
            }
            var deviation = WorkloadBaseline.DeviationKey(containerName, kind, hash);
            var recent = baseline.RecentDeviations(containerName, now);
            if (!baseline.ShouldReport(deviation, now)) return;
            var write = kind == BaselineKind.PathPrefix && (e.Open.Flags & (OWriteOnly | OReadWrite | OCreate | OTruncate)) != 0;
            var score = BaselineRules.Score(kind, write, kind == BaselineKind.Destination && entries.ContainsSubnet(subnet), recent);
            alert = Alert(e, container, pod, baseline, kind, EntryText(e, kind, prefix), score, now);
        }
        raise(alert);
    }

    private WorkloadBaseline? BaselineOf(ContainerRef container, PodContainer? pod, out string containerName)
    {
        containerName = pod?.ContainerName ?? container.ContainerId;
        if (_byPodUid.TryGetValue(container.PodUid, out var cached)) return cached;
        WorkloadRef workload;
        if (workloads is null) workload = new WorkloadRef("", "Pod", container.PodUid); // standalone: no owners known
        else if (pod is not null && workloads.Find(pod.PodUid) is { } found) workload = found;
        else return null; // the pod is not listed yet: nothing to name the workload by
        if (_byPodUid.Count >= MaxCachedPods) _byPodUid.Clear();
        var baseline = _baselines.GetOrAdd(workload, w =>
        {
            var created = new WorkloadBaseline(w, options);
            if (persistent) _toLoad.Enqueue(created);
            else created.MarkLoaded();
            return created;
        });
        _byPodUid[container.PodUid] = baseline;
        return baseline;
    }

    private static string EntryText(in NodeEvent e, BaselineKind kind, ReadOnlySpan<byte> prefix) => kind switch
    {
        BaselineKind.Executable => Encoding.UTF8.GetString(e.Exec.FilenameBytes),
        BaselineKind.PathPrefix => Encoding.UTF8.GetString(prefix),
        _ => BaselineKeys.DestinationText(e.Connect),
    };

    private RuntimeAlert Alert(in NodeEvent e, ContainerRef container, PodContainer? pod, WorkloadBaseline baseline, BaselineKind kind,
        string entry, int score, DateTimeOffset now)
    {
        var rule = BaselineRules.For(kind) with { Priority = BaselineRules.PriorityOf(score) };
        var process = Encoding.UTF8.GetString(e.CommBytes);
        var (argumentKind, argumentField, argument) = kind switch
        {
            BaselineKind.Executable => ("executable", "proc.exepath", entry),
            BaselineKind.PathPrefix => ("file", "fd.name", Encoding.UTF8.GetString(e.Open.PathBytes)),
            _ => ("destination", "fd.sip.port", Destination(e.Connect)),
        };
        var fields = new List<KeyValuePair<string, string>>
        {
            new("argument.kind", argumentKind),
            new("evt.type", e.Type.ToString().ToLowerInvariant()),
            new("proc.name", process),
            new("proc.pid", e.Pid.ToString(CultureInfo.InvariantCulture)),
            new("proc.ppid", e.Ppid.ToString(CultureInfo.InvariantCulture)),
            new("user.uid", e.Uid.ToString(CultureInfo.InvariantCulture)),
            new("container.id", container.ContainerId),
            new("k8s.pod.uid", container.PodUid),
        };
        if (pod is not null)
        {
            fields.Add(new("k8s.ns.name", pod.Namespace));
            fields.Add(new("k8s.pod.name", pod.PodName));
            fields.Add(new("container.name", pod.ContainerName));
            if (pod.Image is not null) fields.Add(new("container.image", pod.Image));
        }
        fields.Add(new(argumentField, argument));
        fields.Add(new("baseline.workload", baseline.Workload.ToString()));
        fields.Add(new("baseline.entry", entry));
        fields.Add(new("baseline.score", score.ToString(CultureInfo.InvariantCulture)));
        if (baseline.LearningEnds is { } ends)
            fields.Add(new("baseline.learned_until", ends.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        return new RuntimeAlert(rule, now, container, pod, process, e.Pid, e.Ppid, e.Uid, argument, fields);
    }

    private static string Destination(in ConnectPayload connect) =>
        connect.Family == ConnectPayload.InterNetwork ? $"{connect.IPAddress}:{connect.Port}" : $"[{connect.IPAddress}]:{connect.Port}";
}
