using System.Text.Json.Serialization;

namespace SecurityOperator.Policy.Api;

/// <summary>Status written by the controller: which generation was compiled, conditions (Ready / Invalid with the
/// compiler's errors), the rule count and running counts of outcomes.</summary>
public sealed class SecurityPolicyStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("conditions")] public List<PolicyStatusCondition>? Conditions { get; set; }
    [JsonPropertyName("ruleCount")] public int? RuleCount { get; set; }
    [JsonPropertyName("counts")] public PolicyCounts? Counts { get; set; }
}

/// <summary>metav1.Condition.</summary>
public sealed class PolicyStatusCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("lastTransitionTime")] public DateTimeOffset? LastTransitionTime { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

public sealed class PolicyCounts
{
    [JsonPropertyName("evaluated")] public long? Evaluated { get; set; }
    [JsonPropertyName("denied")] public long? Denied { get; set; }
    [JsonPropertyName("warned")] public long? Warned { get; set; }
    [JsonPropertyName("audited")] public long? Audited { get; set; }
    [JsonPropertyName("mutated")] public long? Mutated { get; set; }
}
