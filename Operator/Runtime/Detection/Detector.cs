using System.Net;
using System.Text;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Detection;

/// <summary>Runs the built-in rules over attributed events, on the event thread. The no-alert path allocates
/// nothing: executables and paths are compared as UTF-8 bytes, written paths are remembered as 64-bit hashes.</summary>
public sealed class Detector(Action<RuntimeAlert> raise, BootClock clock)
{
    private const uint OWriteOnly = 0x1, OReadWrite = 0x2, OCreate = 0x40, OTruncate = 0x200;

    /// <summary>Written paths remembered per container for the drift rule; beyond it the oldest set is cleared.
    /// 4,096 hashes = 32 KiB per container.</summary>
    public const int MaxWrittenPathsPerContainer = 4096;

    private static readonly byte[][] Shells = Utf8("sh", "bash", "dash", "zsh", "ash", "ksh", "csh", "tcsh", "fish");
    private static readonly byte[][] PackageManagers = Utf8("apt", "apt-get", "aptitude", "dpkg", "yum", "dnf", "rpm", "microdnf", "apk", "zypper",
        "pip", "pip3", "npm", "gem");
    private static readonly byte[][] SystemDirectories = Utf8("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/local/bin/", "/lib/", "/etc/");
    private static readonly byte[] Shadow = "/etc/shadow"u8.ToArray();
    private static readonly byte[][] TokenPaths = Utf8("/var/run/secrets/kubernetes.io/serviceaccount/", "/run/secrets/kubernetes.io/serviceaccount/");
    private static readonly byte[] MetadataV4 = [169, 254, 169, 254];
    private static readonly byte[] MetadataV6 = IPAddress.Parse("fd00:ec2::254").GetAddressBytes();

    private readonly Dictionary<ulong, uint> _mainPid = new();
    private readonly Dictionary<ulong, HashSet<ulong>> _written = new();

    public void Evaluate(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        switch (e.Type)
        {
            case NodeEventType.Exec:
                OnExec(e, container, pod);
                break;
            case NodeEventType.Open:
                OnOpen(e, container, pod);
                break;
            case NodeEventType.Connect:
                OnConnect(e, container, pod);
                break;
            case NodeEventType.Privilege:
                OnPrivilege(e, container, pod);
                break;
            // Kills and blocks of policy rules (numbers from RuntimeRuleTable.FirstNumber) are reported by the policy matcher.
            case NodeEventType.ExecKilled when !Policies.RuntimeRuleTable.IsPolicyRule(e.Exec.Rule):
                Raise(BuiltInRules.DeniedExecutableKilled, e, container, pod, "executable", Text(e.Exec.FilenameBytes), ("deny.rule", e.Exec.Rule.ToString()));
                break;
            case NodeEventType.ConnectBlocked when !Policies.RuntimeRuleTable.IsPolicyRule(e.Connect.Rule):
                Raise(BuiltInRules.DeniedConnectBlocked, e, container, pod, "destination", Destination(e.Connect), ("deny.rule", e.Connect.Rule.ToString()));
                break;
            case NodeEventType.Exit:
                if (_mainPid.TryGetValue(e.CgroupId, out var main) && main == e.Pid)
                {
                    _mainPid.Remove(e.CgroupId);
                    _written.Remove(e.CgroupId);
                }
                break;
        }
    }

    private void OnExec(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        _mainPid.TryAdd(e.CgroupId, e.Pid);
        var filename = e.Exec.FilenameBytes;
        var name = filename[(filename.LastIndexOf((byte)'/') + 1)..];
        if (Contains(Shells, name))
            Raise(BuiltInRules.ShellInContainer, e, container, pod, "executable", Text(filename));
        else if (Contains(PackageManagers, name))
            Raise(BuiltInRules.PackageManager, e, container, pod, "executable", Text(filename));
        if (_written.TryGetValue(e.CgroupId, out var written) && written.Contains(Hash(filename)))
            Raise(BuiltInRules.Drift, e, container, pod, "executable", Text(filename));
    }

    private void OnOpen(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        var path = e.Open.PathBytes;
        if (path.IsEmpty || path[0] != (byte)'/') return; // relative to a directory fd: no absolute path to judge
        var writes = (e.Open.Flags & (OWriteOnly | OReadWrite | OCreate | OTruncate)) != 0;
        if (writes)
        {
            Remember(e.CgroupId, path);
            if (StartsWithAny(path, SystemDirectories))
                Raise(BuiltInRules.WriteBelowSystemDirectory, e, container, pod, "file", Text(path), ("fd.flags", $"0x{e.Open.Flags:x}"));
        }
        if (path.SequenceEqual(Shadow))
            Raise(BuiltInRules.ReadShadow, e, container, pod, "file", Text(path));
        else if (StartsWithAny(path, TokenPaths) && _mainPid.TryGetValue(e.CgroupId, out var main) && main != e.Pid)
            Raise(BuiltInRules.ServiceAccountTokenRead, e, container, pod, "file", Text(path), ("container.main_pid", main.ToString()));
    }

    private unsafe void OnConnect(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        var connect = e.Connect;
        var address = new ReadOnlySpan<byte>(connect.Address, connect.Family == ConnectPayload.InterNetwork ? 4 : 16);
        if (address.SequenceEqual(connect.Family == ConnectPayload.InterNetwork ? MetadataV4 : MetadataV6))
            Raise(BuiltInRules.CloudMetadataConnect, e, container, pod, "destination", Destination(connect));
    }

    private unsafe void OnPrivilege(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        var call = e.Privilege.Call;
        if (e.Uid == 0 || call is not (PrivilegeCall.Setuid or PrivilegeCall.Setreuid or PrivilegeCall.Setresuid)) return;
        var p = e.Privilege;
        if (p.Args[0] != 0 && p.Args[1] != 0 && p.Args[2] != 0) return;
        Raise(BuiltInRules.SetuidToRoot, e, container, pod, "call",
            $"{call.ToString().ToLowerInvariant()}({p.Args[0]}, {p.Args[1]}, {p.Args[2]})".Replace(", -1, -1)", ")").Replace(", -1)", ")"));
    }

    private void Remember(ulong cgroupId, ReadOnlySpan<byte> path)
    {
        if (!_written.TryGetValue(cgroupId, out var set)) _written[cgroupId] = set = new HashSet<ulong>();
        if (set.Count >= MaxWrittenPathsPerContainer) set.Clear();
        set.Add(Hash(path));
    }

    /// <summary>Writes an alert for <paramref name="rule"/> with the event's process, container and pod fields (the policy
    /// matcher raises its rules' alerts through here too, so every alert has the same shape).</summary>
    internal void Raise(RuntimeRule rule, in NodeEvent e, ContainerRef container, PodContainer? pod, string kind, string argument,
        params (string Key, string Value)[] extra)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("argument.kind", kind),
            new("evt.type", e.Type.ToString().ToLowerInvariant()),
            new("proc.name", Text(e.CommBytes)),
            new("proc.pid", e.Pid.ToString()),
            new("proc.ppid", e.Ppid.ToString()),
            new("user.uid", e.Uid.ToString()),
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
        fields.Add(new(kind switch { "executable" => "proc.exepath", "file" => "fd.name", "destination" => "fd.sip.port", _ => "evt.args" }, argument));
        foreach (var (key, value) in extra) fields.Add(new(key, value));
        raise(new RuntimeAlert(rule, clock.ToWallClock(e.TimeNs), container, pod, Text(e.CommBytes), e.Pid, e.Ppid, e.Uid, argument, fields));
    }

    private static unsafe string Destination(ConnectPayload connect) =>
        connect.Family == ConnectPayload.InterNetwork ? $"{connect.IPAddress}:{connect.Port}" : $"[{connect.IPAddress}]:{connect.Port}";

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static bool Contains(byte[][] names, ReadOnlySpan<byte> name)
    {
        foreach (var candidate in names)
            if (name.SequenceEqual(candidate)) return true;
        return false;
    }

    private static bool StartsWithAny(ReadOnlySpan<byte> path, byte[][] prefixes)
    {
        foreach (var prefix in prefixes)
            if (path.StartsWith(prefix)) return true;
        return false;
    }

    /// <summary>FNV-1a, 64 bits: enough to tell apart the few thousand paths a container writes.</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    private static byte[][] Utf8(params string[] values) => values.Select(Encoding.UTF8.GetBytes).ToArray();
}
