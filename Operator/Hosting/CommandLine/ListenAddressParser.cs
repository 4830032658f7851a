using System.Globalization;
using System.Net;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Listen addresses in the Go/Kubernetes style: ":8080" (all interfaces), "127.0.0.1:8080", "[::1]:8443",
/// "localhost:8080". Port 0 asks the kernel for a free port (tests).</summary>
public static class ListenAddressParser
{
    public static bool TryParse(string text, out IPEndPoint endpoint, out string? error)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = "must be HOST:PORT or :PORT";
            return false;
        }
        var host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = "port must be a number from 0 to 65535";
            return false;
        }
        IPAddress address;
        if (host.Length == 0) address = IPAddress.IPv6Any; // dual-stack: serves IPv4 too on Linux
        else if (host == "localhost") address = IPAddress.Loopback;
        else if (host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6)) address = v6;
        // Only four dotted decimals, as Go's net.ParseIP (and so every Kubernetes component) reads IPv4: IPAddress also
        // takes BSD shorthands ("1" is 0.0.0.1, "127.1"), which would bind somewhere the user did not mean.
        else if (IsDottedQuad(host) && IPAddress.TryParse(host, out var v4)) address = v4;
        else
        {
            error = $"host '{host}' is not an IP address (write IPv6 as [::1])";
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        error = null;
        return true;
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }

    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var ep, out var error) ? ep : throw new FormatException($"'{text}': {error}");
}
