using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing;

/// <summary>The "simple signing" payload cosign signs (containers/image's signature format, with cosign's type):
/// <c>{"critical":{"identity":{"docker-reference":NAME},"image":{"docker-manifest-digest":DIGEST},"type":"cosign container image signature"},"optional":null}</c>.
/// What is verified is the digest: the signature binds the key to exactly one manifest.</summary>
public sealed class SimpleSigningPayload
{
    [JsonPropertyName("critical")] public SimpleSigningCritical Critical { get; set; } = new();
    [JsonPropertyName("optional")] public Dictionary<string, JsonElement>? Optional { get; set; }

    public static byte[] Create(ImageName image, OciDigest digest) =>
        JsonSerializer.SerializeToUtf8Bytes(new SimpleSigningPayload
        {
            Critical = new SimpleSigningCritical
            {
                Identity = new SimpleSigningIdentity { DockerReference = image.Name },
                Image = new SimpleSigningImage { DockerManifestDigest = digest.ToString() },
                Type = CosignFormat.PayloadType,
            },
        }, SigningJsonContext.Default.SimpleSigningPayload);

    /// <summary>Parses a payload; a payload that is not JSON of this shape is a <see cref="FormatException"/>.</summary>
    public static SimpleSigningPayload Parse(ReadOnlySpan<byte> json)
    {
        SimpleSigningPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, SigningJsonContext.Default.SimpleSigningPayload);
        }
        catch (JsonException e)
        {
            throw new FormatException($"signature payload is not valid JSON: {e.Message}", e);
        }
        if (payload?.Critical?.Image?.DockerManifestDigest is not { Length: > 0 })
            throw new FormatException("signature payload has no critical.image.docker-manifest-digest");
        return payload;
    }
}

public sealed class SimpleSigningCritical
{
    [JsonPropertyName("identity")] public SimpleSigningIdentity Identity { get; set; } = new();
    [JsonPropertyName("image")] public SimpleSigningImage Image { get; set; } = new();
    [JsonPropertyName("type")] public string Type { get; set; } = "";
}

public sealed class SimpleSigningIdentity
{
    [JsonPropertyName("docker-reference")] public string DockerReference { get; set; } = "";
}

public sealed class SimpleSigningImage
{
    [JsonPropertyName("docker-manifest-digest")] public string DockerManifestDigest { get; set; } = "";
}
