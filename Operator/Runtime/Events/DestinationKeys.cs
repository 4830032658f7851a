using System.Net;
using System.Net.Sockets;

namespace SecurityOperator.Runtime.Events;

/// <summary>Builds keys of the destination LPM trie: the cgroup id and port are always matched whole (80 bits), then
/// the address, where IPv4 is stored as ::ffff:a.b.c.d, so an IPv4 prefix of N bits covers 80 + 96 + N bits (the
/// kernel side builds the same key from connect4's address).</summary>
public static class DestinationKeys
{
    /// <summary>Bits of the key before the address: the cgroup id (64) and the port (16).</summary>
    public const int ScopeBits = 64 + 16;

    /// <summary>A key for <paramref name="cgroupId"/> (0: every cgroup the connect programs are attached to) and
    /// <paramref name="port"/> (0: every port).</summary>
    public static unsafe DestinationKey For(IPAddress address, int prefixBits, ulong cgroupId = 0, ushort port = 0)
    {
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var max = v4 ? 32 : 128;
        if (prefixBits < 0 || prefixBits > max)
            throw new ArgumentOutOfRangeException(nameof(prefixBits), $"prefix /{prefixBits} is outside 0..{max} for {address}");
        var key = new DestinationKey { PrefixBits = (uint)(ScopeBits + (v4 ? 96 + prefixBits : prefixBits)), Port = port };
        key.CgroupId[0] = (uint)cgroupId;
        key.CgroupId[1] = (uint)(cgroupId >> 32);
        var bytes = (v4 ? address.MapToIPv6() : address).GetAddressBytes();
        for (var i = 0; i < 16; i++) key.Address[i] = bytes[i];
        return key;
    }

    /// <summary>Parses "10.0.0.0/8", "169.254.169.254" (a host: /32 or /128), "fd00::/8".</summary>
    public static bool TryParse(string cidr, out IPAddress address, out int prefixBits)
    {
        prefixBits = -1;
        var slash = cidr.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out address!)) return false;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefixBits = max;
            return true;
        }
        return int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefixBits)
               && prefixBits <= max;
    }
}
