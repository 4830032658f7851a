using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.LabelSelector as the API server serializes it. An empty selector ({}) selects everything, so the
/// object is kept even when empty; a null selector field means "no selector" and is the caller's decision. Matching
/// is <see cref="Selectors.CompiledLabelSelector"/>'s job (the one matcher of the project).</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>Fields this model does not know: kept on round trips; the policy compiler reports them as errors.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>metav1.LabelSelectorRequirement: key, operator (In, NotIn, Exists, DoesNotExist) and values. Key and
/// operator are nullable so a validator can say which one is missing.</summary>
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("operator")] public string? Operator { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
