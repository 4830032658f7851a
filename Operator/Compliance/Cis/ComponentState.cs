using System.Text.Json;

namespace SecurityOperator.Compliance.Cis;

/// <summary>What was found of one component on the host: whether it is there, its command-line flags (empty when only
/// its config file was found), its config file (kubelet, kube-proxy) as JSON, and any read error.</summary>
public sealed record ComponentState(KubeComponent Component, bool Present, ComponentFlags Flags, string? ConfigPath,
    JsonElement? Config, string? Error)
{
    public static ComponentState Missing(KubeComponent component, string why) =>
        new(component, false, ComponentFlags.Parse([], why), null, null, null);
}
