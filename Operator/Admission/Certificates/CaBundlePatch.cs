using System.Buffers;
using System.Text.Json;

namespace SecurityOperator.Admission.Certificates;

/// <summary>The RFC 6902 JSON patch that puts a caBundle into every webhook of a configuration that lacks it. A merge
/// patch would replace the whole webhooks list (pods-07: lists are replaced under merge patch), so each entry is
/// addressed by index and guarded by a "test" of its name: if the list changed since it was read, the server answers
/// 422 (pods-06) and nothing is written; the next reconcile reads again. "add" on an existing member replaces it.</summary>
public static class CaBundlePatch
{
    public static bool Carries(WebhookConfiguration configuration, ReadOnlySpan<byte> bundle)
    {
        foreach (var webhook in configuration.Webhooks ?? [])
            if (!bundle.SequenceEqual(webhook.ClientConfig?.CaBundle)) return false;
        return true;
    }

    /// <summary>The patch, or null when every webhook already carries exactly <paramref name="bundle"/>.</summary>
    public static byte[]? For(WebhookConfiguration configuration, ReadOnlySpan<byte> bundle)
    {
        var webhooks = configuration.Webhooks ?? [];
        var buffer = new ArrayBufferWriter<byte>();
        var changed = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < webhooks.Count; i++)
            {
                var webhook = webhooks[i];
                if (bundle.SequenceEqual(webhook.ClientConfig?.CaBundle)) continue;
                changed = true;
                writer.WriteStartObject();
                writer.WriteString("op", "test");
                writer.WriteString("path", $"/webhooks/{i}/name");
                writer.WriteString("value", webhook.Name);
                writer.WriteEndObject();
                if (webhook.ClientConfig is null)
                {
                    // The API server requires clientConfig, so this is a malformed object; writing the whole member keeps
                    // the patch valid instead of adding under a missing parent (which fails).
                    writer.WriteStartObject();
                    writer.WriteString("op", "add");
                    writer.WriteString("path", $"/webhooks/{i}/clientConfig");
                    writer.WriteStartObject("value");
                    writer.WriteBase64String("caBundle", bundle);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    continue;
                }
                writer.WriteStartObject();
                writer.WriteString("op", "add");
                writer.WriteString("path", $"/webhooks/{i}/clientConfig/caBundle");
                writer.WriteBase64String("value", bundle);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return changed ? buffer.WrittenSpan.ToArray() : null;
    }
}
