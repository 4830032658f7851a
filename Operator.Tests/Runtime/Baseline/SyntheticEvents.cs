using System.Net;
using System.Text;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Tests.Runtime.Baseline;

/// <summary>NodeEvents as the ring buffer delivers them, built in tests. Times are boot-clock ns; with BootClock(0)
/// they are ns after the Unix epoch.</summary>
internal static unsafe class SyntheticEvents
{
    public static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    public static ulong At(TimeSpan sinceStart) => (ulong)(sinceStart.Ticks * 100);

    private static NodeEvent Event(NodeEventType type, TimeSpan at, string comm, uint pid)
    {
        var e = new NodeEvent { Type = type, Pid = pid, Tid = pid, Ppid = 1, Uid = 1000, CgroupId = 42, TimeNs = At(at) };
        Write(e.Comm, NodeEvent.CommLength, comm);
        return e;
    }

    public static NodeEvent Exec(string path, TimeSpan at, uint pid = 100)
    {
        var e = Event(NodeEventType.Exec, at, Path.GetFileName(path), pid);
        Write(e.Exec.Filename, NodeEvent.PathLength, path);
        return e;
    }

    public static NodeEvent Open(string path, TimeSpan at, uint flags = 0, string comm = "app", uint pid = 100)
    {
        var e = Event(NodeEventType.Open, at, comm, pid);
        e.Open.Flags = flags;
        Write(e.Open.Path, NodeEvent.PathLength, path);
        return e;
    }

    public static NodeEvent Connect(string address, ushort port, TimeSpan at, string comm = "app", uint pid = 100)
    {
        var e = Event(NodeEventType.Connect, at, comm, pid);
        var ip = IPAddress.Parse(address);
        var bytes = ip.GetAddressBytes();
        e.Connect.Family = bytes.Length == 4 ? ConnectPayload.InterNetwork : ConnectPayload.InterNetworkV6;
        e.Connect.Port = port;
        for (var i = 0; i < bytes.Length; i++) e.Connect.Address[i] = bytes[i];
        return e;
    }

    private static void Write(byte* buffer, int length, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        new Span<byte>(buffer, length).Clear();
        bytes.AsSpan(0, Math.Min(bytes.Length, length - 1)).CopyTo(new Span<byte>(buffer, length));
    }
}
