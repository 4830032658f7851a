using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Turns event payloads into baseline entries on the event thread without allocating: 64-bit FNV-1a hashes
/// of the entry's canonical bytes for the look-up, and its text only when an entry is new. Stored entries are parsed
/// back into the same hashes, so a loaded baseline matches the events' keys.</summary>
public static class BaselineKeys
{
    private const ulong Offset = 14695981039346656037UL, Prime = 1099511628211UL;

    /// <summary>Stack buffer for a normalized path prefix: at most the event's 256-byte path.</summary>
    public const int MaxPrefixBytes = NodeEvent.PathLength;

    public static ulong Hash(BaselineKind kind, ReadOnlySpan<byte> bytes)
    {
        var hash = (Offset ^ (ulong)kind) * Prime;
        foreach (var b in bytes) hash = (hash ^ b) * Prime;
        return hash;
    }

    public static ulong Hash(BaselineKind kind, string text)
    {
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(text.Length, 1024))];
        var length = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, 1024)), buffer);
        return Hash(kind, buffer[..length]);
    }

    /// <summary>Writes the directory prefix of an absolute path, at most <paramref name="depth"/> components, with
    /// all-digit components (pids, numbered dirs) written as "#": "/proc/4242/status" → "/proc/#", "/usr/lib/python3/os.py"
    /// → "/usr/lib/python3", "/etc/passwd" → "/etc", "/x" → "/". Returns the length, 0 for a relative path.</summary>
    public static int PathPrefix(ReadOnlySpan<byte> path, int depth, Span<byte> prefix)
    {
        if (path.IsEmpty || path[0] != (byte)'/') return 0;
        var lastSlash = path.LastIndexOf((byte)'/');
        var directory = path[..lastSlash];
        var written = 0;
        var components = 0;
        var i = 0;
        while (i < directory.Length && components < depth)
        {
            while (i < directory.Length && directory[i] == (byte)'/') i++;
            if (i >= directory.Length) break;
            var end = directory[i..].IndexOf((byte)'/');
            var component = end < 0 ? directory[i..] : directory[i..(i + end)];
            i += component.Length;
            if (component.SequenceEqual("."u8)) continue;
            prefix[written++] = (byte)'/';
            if (IsDigits(component)) prefix[written++] = (byte)'#';
            else
            {
                component.CopyTo(prefix[written..]);
                written += component.Length;
            }
            components++;
        }
        if (written == 0) prefix[written++] = (byte)'/';
        return written;
    }

    /// <summary>Hash of the destination's subnet (/24, /64) and port; <paramref name="subnet"/> is the hash of the subnet alone.</summary>
    public static unsafe ulong Destination(in ConnectPayload connect, out ulong subnet)
    {
        Span<byte> key = stackalloc byte[19];
        var v4 = connect.Family == ConnectPayload.InterNetwork;
        key[0] = v4 ? (byte)4 : (byte)6;
        fixed (byte* address = connect.Address)
            new ReadOnlySpan<byte>(address, v4 ? 3 : 8).CopyTo(key[1..]);
        subnet = Hash(BaselineKind.Destination, key[..17]);
        BinaryPrimitives.WriteUInt16BigEndian(key[17..], connect.Port);
        return Hash(BaselineKind.Destination, key);
    }

    /// <summary>"10.0.3.0/24:443" or "[fd00:1::]/64:443".</summary>
    public static unsafe string DestinationText(in ConnectPayload connect)
    {
        var v4 = connect.Family == ConnectPayload.InterNetwork;
        var bytes = new byte[v4 ? 4 : 16];
        fixed (byte* address = connect.Address)
            new ReadOnlySpan<byte>(address, v4 ? 3 : 8).CopyTo(bytes);
        var subnet = new IPAddress(bytes);
        return v4 ? $"{subnet}/{BaselineOptions.V4PrefixBits}:{connect.Port}" : $"[{subnet}]/{BaselineOptions.V6PrefixBits}:{connect.Port}";
    }

    /// <summary>Parses a stored destination back into the payload shape its hash is computed from; false when it is
    /// not of the form <see cref="DestinationText"/> writes.</summary>
    public static unsafe bool TryParseDestination(string text, out ConnectPayload connect)
    {
        connect = default;
        var colon = text.LastIndexOf(':');
        var slash = text.LastIndexOf('/');
        if (colon < 0 || slash < 0 || slash > colon) return false;
        if (!ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)) return false;
        var address = text[..slash].Trim('[', ']');
        if (!IPAddress.TryParse(address, out var ip)) return false;
        var bytes = ip.GetAddressBytes();
        connect.Family = ip.AddressFamily == AddressFamily.InterNetwork ? ConnectPayload.InterNetwork : ConnectPayload.InterNetworkV6;
        connect.Port = port;
        for (var i = 0; i < bytes.Length; i++) connect.Address[i] = bytes[i];
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<byte> component)
    {
        foreach (var b in component)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return !component.IsEmpty;
    }
}
