using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.LabelSelector. An empty selector ({}) selects everything, so the object is kept even when empty.</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    /// <summary>"In", "NotIn", "Exists" or "DoesNotExist".</summary>
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}
