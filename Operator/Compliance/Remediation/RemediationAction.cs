using System.Text.Json.Serialization;

namespace SecurityOperator.Compliance.Remediation;

/// <summary>One remediation action, planned or carried out: which check it answers, what it does to which object and
/// how it ended (planned in dry-run; applied, failed or refused in apply).</summary>
public sealed class RemediationAction
{
    public const string DisableAutomount = "disable-automount", DeleteBinding = "delete-binding";
    public const string Planned = "planned", Applied = "applied", Failed = "failed", Refused = "refused";

    [JsonPropertyName("check")] public required string Check { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    /// <summary>"ServiceAccount shop/default", "ClusterRoleBinding ci-admin", "RoleBinding shop/uses-default".</summary>
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("outcome")] public string Outcome { get; set; } = Planned;
    [JsonPropertyName("detail")] public string? Detail { get; set; }

    [JsonIgnore] public string? Namespace { get; init; }
    [JsonIgnore] public string Name { get; init; } = "";
    [JsonIgnore] public string? Uid { get; init; }
    [JsonIgnore] public string? ResourceVersion { get; init; }

    public override string ToString() => Detail is null ? $"{Outcome}: {Action} {Target}" : $"{Outcome}: {Action} {Target} ({Detail})";
}

/// <summary>The remediation part of a JSON report: the mode and every action.</summary>
public sealed class RemediationReport
{
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("actions")] public required List<RemediationAction> Actions { get; init; }
}
