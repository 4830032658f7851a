using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>A minimal watched kind: metadata plus one data field. Pods from the transcripts decode into it too (their
/// other fields are ignored).</summary>
public sealed class TestObject : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; } = "test.io/v1";
    [JsonPropertyName("kind")] public string? Kind { get; set; } = "Test";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("data")] public string? Data { get; set; }

    public static TestObject Create(string name, string rv, string? ns = "ns", string? data = null, Dictionary<string, string>? labels = null) =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = ns, ResourceVersion = rv, Labels = labels }, Data = data };

    public static TestObject Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TestJsonContext.Default.TestObject)
        ?? throw new JsonException("null object");

    public string ToJson() => JsonSerializer.Serialize(this, TestJsonContext.Default.TestObject);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TestObject))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
