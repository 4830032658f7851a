using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.DeleteOptions, sent as the body of a DELETE (and inside an Eviction).</summary>
public sealed class DeleteOptions
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "DeleteOptions";
    /// <summary>"Orphan", "Background" or "Foreground".</summary>
    [JsonPropertyName("propagationPolicy")] public string? PropagationPolicy { get; set; }
    [JsonPropertyName("preconditions")] public Preconditions? Preconditions { get; set; }
    [JsonPropertyName("gracePeriodSeconds")] public long? GracePeriodSeconds { get; set; }
    /// <summary>["All"] for a server-side dry run.</summary>
    [JsonPropertyName("dryRun")] public List<string>? DryRun { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>metav1.Preconditions: the delete happens only if the stored object still has this uid / resourceVersion (else 409).</summary>
public sealed class Preconditions
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
}

/// <summary>Values of <see cref="DeleteOptions.PropagationPolicy"/> (metav1.DeletionPropagation).</summary>
public static class PropagationPolicy
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";
}
