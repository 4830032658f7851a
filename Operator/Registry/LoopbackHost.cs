using System.Net;

namespace SecurityOperator.Registry;

/// <summary>Whether a registry host[:port] names this machine: "localhost", 127.0.0.0/8 or [::1].</summary>
public static class LoopbackHost
{
    public static bool IsLoopback(string registry)
    {
        var host = registry;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            host = close > 0 ? host[1..close] : host;
        }
        else
        {
            var colon = host.LastIndexOf(':');
            if (colon >= 0) host = host[..colon];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
