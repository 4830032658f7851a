using System.Globalization;
using System.Net;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime;

/// <summary>The in-kernel responses given on the command line: executables to kill on exec (--node-deny-exec) and
/// destinations to refuse (--node-deny-connect CIDR[@PORT]). Rule numbers are positions in the flag's list, from 1,
/// and come back in the kill/block alerts. They apply to every container (cgroup id 0 in the maps).</summary>
public static class DenyRules
{
    public sealed record Connect(IPAddress Address, int PrefixBits, ushort Port, string Text);

    public static string? ValidateConnect(string value) => TryParseConnect(value, out _, out var error) ? null : error;

    public static bool TryParseConnect(string value, out Connect rule, out string? error)
    {
        rule = null!;
        error = null;
        var at = value.LastIndexOf('@');
        ushort port = 0;
        if (at >= 0 && (!ushort.TryParse(value[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port == 0))
        {
            error = $"'{value}': the port after @ must be 1-65535";
            return false;
        }
        var cidr = at >= 0 ? value[..at] : value;
        if (!DestinationKeys.TryParse(cidr, out var address, out var bits))
        {
            error = $"'{value}': expected an IPv4 or IPv6 address or CIDR, optionally followed by @PORT";
            return false;
        }
        rule = new Connect(address, bits, port, value);
        return true;
    }

    public static void Apply(KernelSensor sensor, IReadOnlyList<string> denyExec, IReadOnlyList<string> denyConnect)
    {
        for (var i = 0; i < denyExec.Count; i++)
            sensor.DeniedExecs.Update(ExecutableIdentity.Of(denyExec[i]), new ExecRule { Rule = (uint)(i + 1), Action = RuleAction.Enforce });
        for (var i = 0; i < denyConnect.Count; i++)
        {
            if (!TryParseConnect(denyConnect[i], out var rule, out var error)) throw new ArgumentException(error);
            sensor.DeniedDestinations.Update(DestinationKeys.For(rule.Address, rule.PrefixBits, port: rule.Port), new DestinationRule { Rule = (uint)(i + 1), Action = RuleAction.Enforce });
        }
    }
}
