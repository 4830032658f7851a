using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.ObjectMeta: the fields the operator reads or writes. Everything else survives a round trip through
/// <see cref="Extra"/>, so writing back an object never drops fields a newer API server added.</summary>
public sealed class ObjectMeta
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("generateName")] public string? GenerateName { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("generation")] public long? Generation { get; set; }
    [JsonPropertyName("creationTimestamp"), JsonConverter(typeof(KubeTimeConverter))] public DateTimeOffset? CreationTimestamp { get; set; }
    [JsonPropertyName("deletionTimestamp"), JsonConverter(typeof(KubeTimeConverter))] public DateTimeOffset? DeletionTimestamp { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("ownerReferences")] public List<OwnerReference>? OwnerReferences { get; set; }
    [JsonPropertyName("finalizers")] public List<string>? Finalizers { get; set; }
    [JsonPropertyName("deletionGracePeriodSeconds")] public long? DeletionGracePeriodSeconds { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class OwnerReference
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("uid")] public string Uid { get; set; } = "";
    [JsonPropertyName("controller")] public bool? Controller { get; set; }
    [JsonPropertyName("blockOwnerDeletion")] public bool? BlockOwnerDeletion { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>metav1.ListMeta.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue")] public string? Continue { get; set; }
    [JsonPropertyName("remainingItemCount")] public long? RemainingItemCount { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
