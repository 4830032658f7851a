using System.Text.Json.Serialization;

namespace SecurityOperator.Signing.Verification;

/// <summary>The fields of a core/v1 Secret that hold registry credentials.</summary>
public sealed class PullSecret
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>Values are base64 (the API's encoding of []byte); System.Text.Json decodes byte[] from base64.</summary>
    [JsonPropertyName("data")] public Dictionary<string, byte[]>? Data { get; set; }
}

/// <summary>The imagePullSecrets of a core/v1 ServiceAccount.</summary>
public sealed class PullSecretServiceAccount
{
    [JsonPropertyName("imagePullSecrets")] public List<PullSecretReference>? ImagePullSecrets { get; set; }
}

public sealed class PullSecretReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary>Source-generated JSON for reading pull secrets (no reflection).</summary>
[JsonSerializable(typeof(PullSecret))]
[JsonSerializable(typeof(PullSecretServiceAccount))]
public sealed partial class PullSecretJsonContext : JsonSerializerContext;
