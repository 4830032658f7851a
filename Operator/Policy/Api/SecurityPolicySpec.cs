using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Policy.Api;

/// <summary>The spec shared by SecurityPolicy and ClusterSecurityPolicy. Conditions and actions stay JSON elements here
/// (a list of single-key maps, strings or single-key maps): their shapes depend on the key, so the compiler parses them
/// and reports exact field paths.</summary>
public sealed class SecurityPolicySpec
{
    [JsonPropertyName("rules")] public List<PolicyRule?>? Rules { get; set; }
    [JsonPropertyName("enforcementMode")] public string? EnforcementMode { get; set; }
    [JsonPropertyName("targets")] public PolicyTargets? Targets { get; set; }
    [JsonPropertyName("exclude")] public PolicyExclude? Exclude { get; set; }
    [JsonPropertyName("remediation")] public PolicyRemediation? Remediation { get; set; }

    /// <summary>Runtime rules the node agent enforces (see <see cref="RuntimeSpec"/>).</summary>
    [JsonPropertyName("runtime")] public RuntimeSpec? Runtime { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class PolicyRule
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("conditions")] public List<JsonElement>? Conditions { get; set; }
    [JsonPropertyName("actions")] public List<JsonElement>? Actions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class PolicyTargets
{
    [JsonPropertyName("namespaceSelector")] public LabelSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("podSelector")] public LabelSelector? PodSelector { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>Requests that a policy never applies to: by namespace name, by the pod's service account, by the
/// requesting user (admission only).</summary>
public sealed class PolicyExclude
{
    [JsonPropertyName("namespaces")] public List<string>? Namespaces { get; set; }
    [JsonPropertyName("serviceAccounts")] public List<string>? ServiceAccounts { get; set; }
    [JsonPropertyName("users")] public List<string>? Users { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class PolicyRemediation
{
    [JsonPropertyName("automatic")] public bool? Automatic { get; set; }
    [JsonPropertyName("actions")] public List<JsonElement>? Actions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
