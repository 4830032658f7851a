using System.Net;
using System.Text;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Detection;

public sealed unsafe class DetectorTests
{
    private static readonly ContainerRef Container = new("0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b", new string('a', 64), "containerd", "burstable");
    private static readonly PodContainer Pod = new("shop", "web-7d4b9", Container.PodUid, "nginx", "nginx:1.27");
    private readonly List<RuntimeAlert> _alerts = [];
    private readonly Detector _detector;

    public DetectorTests() => _detector = new Detector(_alerts.Add, new BootClock(0));

    private static NodeEvent Event(NodeEventType type, uint pid = 100, uint uid = 0, string comm = "proc")
    {
        var e = new NodeEvent { Type = type, Pid = pid, Tid = pid, Ppid = 1, Uid = uid, CgroupId = 42, TimeNs = 1_000_000_000 };
        Write(e.Comm, 16, comm);
        return e;
    }

    private static void Write(byte* buffer, int length, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        new Span<byte>(buffer, length).Clear();
        bytes.AsSpan(0, Math.Min(bytes.Length, length - 1)).CopyTo(new Span<byte>(buffer, length));
    }

    private void Exec(string path, uint pid = 100, uint uid = 0)
    {
        var e = Event(NodeEventType.Exec, pid, uid, Path.GetFileName(path));
        Write(e.Exec.Filename, 256, path);
        _detector.Evaluate(e, Container, Pod);
    }

    private void Open(string path, uint flags, uint pid = 100)
    {
        var e = Event(NodeEventType.Open, pid);
        e.Open.Flags = flags;
        Write(e.Open.Path, 256, path);
        _detector.Evaluate(e, Container, Pod);
    }

    [Theory]
    [InlineData("/bin/bash", "shell-in-container")]
    [InlineData("/usr/bin/dash", "shell-in-container")]
    [InlineData("/bin/sh", "shell-in-container")]
    [InlineData("/usr/bin/apt-get", "package-manager-in-container")]
    [InlineData("/sbin/apk", "package-manager-in-container")]
    [InlineData("/usr/local/bin/pip3", "package-manager-in-container")]
    public void Exec_rules_fire_on_the_executable_name(string path, string rule)
    {
        Exec(path);

        var alert = Assert.Single(_alerts);
        Assert.Equal(rule, alert.Rule.Id);
        Assert.Contains("pod shop/web-7d4b9 container nginx", alert.Message);
        Assert.Contains(path, alert.Message);
    }

    [Theory]
    [InlineData("/usr/bin/bashful")]
    [InlineData("/usr/sbin/nginx")]
    [InlineData("/opt/sh/tool")]
    public void Other_executables_raise_nothing(string path)
    {
        Exec(path);
        Assert.Empty(_alerts);
    }

    [Theory]
    [InlineData("/etc/passwd", 0x1 | 0x40 | 0x200, "write-below-system-directory")]
    [InlineData("/usr/bin/ls", 0x2, "write-below-system-directory")]
    [InlineData("/etc/shadow", 0x0, "read-shadow")]
    public void Open_rules_fire_on_path_and_flags(string path, uint flags, string rule)
    {
        Open(path, flags);

        Assert.Equal(rule, Assert.Single(_alerts).Rule.Id);
    }

    [Theory]
    [InlineData("/etc/passwd", 0x0)]          // a read of an ordinary config file
    [InlineData("/tmp/out", 0x1 | 0x40)]       // a write outside system directories
    [InlineData("etc/shadow", 0x0)]           // relative to a directory fd: not judged
    [InlineData("/etc/shadowed", 0x0)]
    public void Ordinary_opens_raise_nothing(string path, uint flags)
    {
        Open(path, flags);
        Assert.Empty(_alerts);
    }

    [Fact]
    public void Token_read_by_the_main_process_is_fine_and_by_another_is_flagged()
    {
        const string token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
        Exec("/usr/sbin/nginx", pid: 10);
        Open(token, 0, pid: 10);
        Assert.Empty(_alerts);

        Open(token, 0, pid: 11);

        var alert = Assert.Single(_alerts);
        Assert.Equal("service-account-token-read", alert.Rule.Id);
        Assert.Contains(new KeyValuePair<string, string>("container.main_pid", "10"), alert.Fields);
    }

    [Fact]
    public void Executing_a_file_written_in_the_container_is_drift()
    {
        Open("/tmp/payload", 0x1 | 0x40);
        Exec("/usr/bin/true");
        Assert.Empty(_alerts);

        Exec("/tmp/payload");

        Assert.Equal("drift-executed", Assert.Single(_alerts).Rule.Id);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("169.254.169.253", false)]
    [InlineData("10.0.0.1", false)]
    public void Connect_to_cloud_metadata_is_flagged(string address, bool flagged)
    {
        var e = Event(NodeEventType.Connect);
        var ip = IPAddress.Parse(address);
        e.Connect.Family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ConnectPayload.InterNetwork : ConnectPayload.InterNetworkV6;
        e.Connect.Port = 80;
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++) e.Connect.Address[i] = bytes[i];

        _detector.Evaluate(e, Container, Pod);

        Assert.Equal(flagged, _alerts.Count == 1);
        if (flagged) Assert.Contains(":80", _alerts[0].Argument);
    }

    [Theory]
    [InlineData(PrivilegeCall.Setuid, 1000u, 0L, -1L, true)]
    [InlineData(PrivilegeCall.Setresuid, 1000u, -1L, 0L, true)]
    [InlineData(PrivilegeCall.Setuid, 0u, 0L, -1L, false)]      // already root
    [InlineData(PrivilegeCall.Setuid, 1000u, 1001L, -1L, false)] // not to root
    [InlineData(PrivilegeCall.Setgid, 1000u, 0L, -1L, false)]   // a group change
    public void Setuid_to_root_by_non_root(PrivilegeCall call, uint uid, long a0, long a1, bool flagged)
    {
        var e = Event(NodeEventType.Privilege, uid: uid);
        e.Privilege.Call = call;
        e.Privilege.Args[0] = a0;
        e.Privilege.Args[1] = a1;
        e.Privilege.Args[2] = -1;

        _detector.Evaluate(e, Container, Pod);

        Assert.Equal(flagged, _alerts.Count == 1);
        if (flagged) Assert.Equal("T1548", _alerts[0].Rule.Technique);
    }

    [Fact]
    public void Without_pod_metadata_the_message_names_pod_uid_and_container_id()
    {
        var e = Event(NodeEventType.Exec, comm: "sh");
        Write(e.Exec.Filename, 256, "/bin/sh");

        _detector.Evaluate(e, Container, null);

        Assert.Contains($"pod uid {Container.PodUid} container id aaaaaaaaaaaa", Assert.Single(_alerts).Message);
    }

    [Fact]
    public void Every_built_in_rule_has_an_id_a_technique_and_a_description()
    {
        Assert.Equal(BuiltInRules.All.Count, BuiltInRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(BuiltInRules.All, r => Assert.Matches(@"^T\d{4}(\.\d{3})?$", r.Technique));
        Assert.All(BuiltInRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }
}
