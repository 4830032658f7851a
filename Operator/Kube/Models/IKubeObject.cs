using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>Any Kubernetes object: apiVersion, kind and metadata. Implemented by every model the operator lists or watches.</summary>
public interface IKubeObject
{
    string? ApiVersion { get; set; }
    string? Kind { get; set; }
    ObjectMeta Metadata { get; set; }
}

/// <summary>A LIST response: {apiVersion, kind, metadata: ListMeta, items: [...]}. Closed generic types are registered
/// with a source-generated JsonSerializerContext per item type.</summary>
public sealed class KubeList<T> where T : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<T> Items { get; set; } = new();
}
