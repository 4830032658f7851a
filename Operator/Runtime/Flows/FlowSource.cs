using SecurityOperator.Compliance.NetworkPolicies;

namespace SecurityOperator.Runtime.Flows;

/// <summary>One workload as a flow source: a single instance per (namespace, kind, name), shared by all its pods, so
/// the event thread can key flows by reference. <see cref="Labels"/> follows the most recently seen pod.</summary>
public sealed class FlowSource(string @namespace, string? kind, string name)
{
    public string Namespace { get; } = @namespace;
    public string? Kind { get; } = kind;
    public string Name { get; } = name;
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    public FlowWorkload ToWorkload() => new()
    {
        Namespace = Namespace, Kind = Kind, Name = Name,
        Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal),
    };

    public override string ToString() => $"{Namespace}/{Kind}/{Name}";
}
