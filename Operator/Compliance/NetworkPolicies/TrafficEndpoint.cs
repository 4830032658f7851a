using System.Net;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>A container port a pod declares under a name (what a NetworkPolicy's named port refers to).</summary>
public sealed record NamedPort(string Name, int Port, string Protocol = "TCP");

/// <summary>One end of a connection: a pod (namespace, labels, optional IP, named ports) or an address outside the
/// cluster (only an IP).</summary>
public sealed record TrafficEndpoint(string? Namespace, IReadOnlyDictionary<string, string>? Labels, IPAddress? Ip,
    IReadOnlyList<NamedPort>? NamedPorts = null)
{
    public bool IsPod => Namespace is not null;

    public static TrafficEndpoint Pod(string @namespace, IReadOnlyDictionary<string, string> labels, IPAddress? ip = null,
        IReadOnlyList<NamedPort>? namedPorts = null) => new(@namespace, labels, ip, namedPorts);

    public static TrafficEndpoint External(IPAddress ip) => new(null, null, ip);

    public override string ToString() => IsPod
        ? $"{Namespace}/{{{string.Join(",", (Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}}}"
        : Ip!.ToString();
}

/// <summary>Whether a connection passes: egress from the source (not isolated, or allowed by a policy) and ingress to
/// the destination. The policy names list which policies allowed each direction (empty when not isolated).</summary>
public sealed record TrafficDecision(bool EgressAllowed, bool IngressAllowed, IReadOnlyList<string> EgressAllowedBy,
    IReadOnlyList<string> IngressAllowedBy, bool SourceIsolated, bool DestinationIsolated)
{
    public bool Allowed => EgressAllowed && IngressAllowed;
}
