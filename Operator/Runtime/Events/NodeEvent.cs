using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Events;

/// <summary>struct event of bpf/event.h, byte for byte (NodeEventLayoutTests checks every field against the BTF of
/// the compiled object). Read in place from the ring buffer: never copied on the hot path.</summary>
[StructLayout(LayoutKind.Explicit, Size = 328)]
public unsafe struct NodeEvent
{
    [FieldOffset(0)] public ulong TimeNs;
    [FieldOffset(8)] public ulong CgroupId;
    [FieldOffset(16)] public uint Pid;
    [FieldOffset(20)] public uint Tid;
    [FieldOffset(24)] public uint Ppid;
    [FieldOffset(28)] public uint Uid;
    [FieldOffset(32)] public uint Gid;
    [FieldOffset(36)] public NodeEventType Type;
    [FieldOffset(40)] public fixed byte Comm[16];
    [FieldOffset(56)] public ExecPayload Exec;
    [FieldOffset(56)] public OpenPayload Open;
    [FieldOffset(56)] public ConnectPayload Connect;
    [FieldOffset(56)] public PrivilegePayload Privilege;
    [FieldOffset(56)] public ExitPayload Exit;

    public const int CommLength = 16, PathLength = 256;

    /// <summary>The command name up to its NUL (the kernel's task comm, at most 15 bytes).</summary>
    public readonly ReadOnlySpan<byte> CommBytes
    {
        get
        {
            fixed (byte* p = Comm) return CString.Of(p, CommLength);
        }
    }
}

[StructLayout(LayoutKind.Explicit, Size = 272)]
public unsafe struct ExecPayload
{
    [FieldOffset(0)] public ulong Inode;
    [FieldOffset(8)] public uint Device;
    [FieldOffset(12)] public uint Rule;
    [FieldOffset(16)] public fixed byte Filename[256];

    public readonly ReadOnlySpan<byte> FilenameBytes
    {
        get
        {
            fixed (byte* p = Filename) return CString.Of(p, NodeEvent.PathLength);
        }
    }
}

[StructLayout(LayoutKind.Explicit, Size = 272)]
public unsafe struct OpenPayload
{
    [FieldOffset(0)] public int Dirfd;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public uint Mode;
    [FieldOffset(12)] public uint Reserved;
    [FieldOffset(16)] public fixed byte Path[256];

    public readonly ReadOnlySpan<byte> PathBytes
    {
        get
        {
            fixed (byte* p = Path) return CString.Of(p, NodeEvent.PathLength);
        }
    }
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct ConnectPayload
{
    public const ushort InterNetwork = 2, InterNetworkV6 = 10;

    [FieldOffset(0)] public ushort Family;
    [FieldOffset(2)] public ushort Port;
    [FieldOffset(4)] public uint Rule;
    [FieldOffset(8)] public fixed byte Address[16];

    public readonly System.Net.IPAddress IPAddress
    {
        get
        {
            fixed (byte* p = Address)
                return new System.Net.IPAddress(new ReadOnlySpan<byte>(p, Family == InterNetwork ? 4 : 16));
        }
    }
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct PrivilegePayload
{
    [FieldOffset(0)] public PrivilegeCall Call;
    [FieldOffset(4)] public uint Reserved;
    [FieldOffset(8)] public fixed long Args[3];
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ExitPayload
{
    [FieldOffset(0)] public int ExitCode;
    [FieldOffset(4)] public uint Reserved;
}

internal static unsafe class CString
{
    /// <summary>The bytes of a fixed C string buffer up to its first NUL (the whole buffer when there is none).</summary>
    public static ReadOnlySpan<byte> Of(byte* buffer, int length)
    {
        var span = new ReadOnlySpan<byte>(buffer, length);
        var end = span.IndexOf((byte)0);
        return end < 0 ? span : span[..end];
    }
}
