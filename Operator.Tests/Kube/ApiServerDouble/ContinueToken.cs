using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The LIST continue token of kube-apiserver: URL-safe base64 without padding of
/// {"v":"meta.k8s.io/v1","rv":N,"start":"&lt;last key&gt;\u0000"} (pods-03 header). rv -1 marks the inconsistent
/// continuation a 410 offers (watch-03 REQUEST 2/4).</summary>
public readonly record struct ContinueToken(long ResourceVersion, string Start)
{
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("v", "meta.k8s.io/v1");
            writer.WriteNumber("rv", ResourceVersion);
            writer.WriteString("start", Start);
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>Throws <see cref="FormatException"/> with the server's wording for a token it cannot read.</summary>
    public static ContinueToken Decode(string token)
    {
        try
        {
            var json = Base64Url.DecodeFromChars(token.TrimEnd('='));
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.GetProperty("v").GetString() != "meta.k8s.io/v1") throw new FormatException("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            return new ContinueToken(root.GetProperty("rv").GetInt64(), root.GetProperty("start").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"continue key is not valid: {e.Message}");
        }
    }

    /// <summary>Decoded JSON text, for tests that compare with the transcript's decoded tokens.</summary>
    public static string DecodeToText(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
}
