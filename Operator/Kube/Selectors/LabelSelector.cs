using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Selectors;

/// <summary>metav1.LabelSelector as the API server serializes it. An empty selector (no matchLabels, no
/// matchExpressions) matches everything; a null selector field means "no selector" and is the caller's decision.</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>Fields this model does not know; the compiler reports them instead of silently dropping them.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>metav1.LabelSelectorRequirement: key, operator (In, NotIn, Exists, DoesNotExist) and values.</summary>
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("operator")] public string? Operator { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
