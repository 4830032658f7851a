using System.Text.Json;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Watch;

/// <summary>One decoded watch frame. <see cref="Object"/> is set for ADDED/MODIFIED/DELETED; <see cref="ResourceVersion"/>
/// is the RV the frame moves the watch to (the object's RV, or the bookmark's); <see cref="Error"/> is set for ERROR.</summary>
internal readonly record struct WatchFrame<T>(WatchEventType Type, T? Object, string? ResourceVersion, KubeApiException? Error)
    where T : class, IKubeObject;

/// <summary>Decodes one NDJSON line {"type": ..., "object": {...}} with Utf8JsonReader. Only the object's bytes are handed to
/// the typed deserializer; BOOKMARK skeletons and ERROR Status objects are read here directly, so a model never has to
/// accept a skeleton ({"metadata":{"resourceVersion":"309"},"spec":{"containers":null}}, watch-01) or a Status.</summary>
internal static class WatchFrameDecoder
{
    public static WatchFrame<T> Decode<T>(ReadOnlySpan<byte> line, IListerWatcher<T> codec) where T : class, IKubeObject
    {
        WatchEventType? type = null;
        var objectStart = -1;
        var objectLength = 0;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new WatchProtocolException($"watch frame is not a JSON object: {Preview(line)}");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = ParseType(ref reader, line);
                }
                else if (reader.ValueTextEquals("object"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new WatchProtocolException($"watch frame \"object\" is not a JSON object: {Preview(line)}");
                    objectStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    objectLength = (int)reader.BytesConsumed - objectStart;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new WatchProtocolException($"watch frame is not valid JSON ({e.Message}): {Preview(line)}", e);
        }

        if (type is null) throw new WatchProtocolException($"watch frame has no \"type\": {Preview(line)}");
        if (objectStart < 0) throw new WatchProtocolException($"watch frame has no \"object\": {Preview(line)}");
        var objectJson = line.Slice(objectStart, objectLength);

        switch (type.Value)
        {
            case WatchEventType.Bookmark:
                return new WatchFrame<T>(WatchEventType.Bookmark, null, ReadMetadataResourceVersion(objectJson), null);
            case WatchEventType.Error:
                return new WatchFrame<T>(WatchEventType.Error, null, null, ReadStatus(objectJson));
            default:
                T obj;
                try
                {
                    obj = codec.Deserialize(objectJson);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new WatchProtocolException($"watch {type.Value} object could not be decoded ({e.Message}): {Preview(line)}", e);
                }
                return new WatchFrame<T>(type.Value, obj, obj.Metadata?.ResourceVersion, null);
        }
    }

    private static WatchEventType ParseType(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("ADDED"u8)) return WatchEventType.Added;
            if (reader.ValueTextEquals("MODIFIED"u8)) return WatchEventType.Modified;
            if (reader.ValueTextEquals("DELETED"u8)) return WatchEventType.Deleted;
            if (reader.ValueTextEquals("BOOKMARK"u8)) return WatchEventType.Bookmark;
            if (reader.ValueTextEquals("ERROR"u8)) return WatchEventType.Error;
        }
        throw new WatchProtocolException($"watch frame has an unknown \"type\": {Preview(line)}");
    }

    /// <summary>metadata.resourceVersion of a (skeleton) object, or null when absent.</summary>
    private static string? ReadMetadataResourceVersion(ReadOnlySpan<byte> objectJson)
    {
        var reader = new Utf8JsonReader(objectJson);
        reader.Read(); // StartObject of the object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRv = reader.ValueTextEquals("resourceVersion"u8);
                reader.Read();
                if (isRv && reader.TokenType == JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
            return null;
        }
        return null;
    }

    /// <summary>The metav1.Status of an ERROR frame as the exception the REST client would have thrown for the same
    /// answer, so 410 is recognised the same way whether it came as HTTP 410 or inside the stream.</summary>
    private static KubeApiException ReadStatus(ReadOnlySpan<byte> objectJson)
    {
        var code = 0;
        string reason = "", message = "";
        var reader = new Utf8JsonReader(objectJson);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var c)) code = c;
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) reason = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) message = reader.GetString() ?? "";
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (message.Length == 0) message = $"watch ERROR event with status code {code} and reason '{reason}'";
        return new KubeApiException(code, reason, message);
    }

    private static string Preview(ReadOnlySpan<byte> line)
    {
        const int max = 200;
        var text = System.Text.Encoding.UTF8.GetString(line.Length > max ? line[..max] : line);
        return line.Length > max ? text + $"... ({line.Length} bytes)" : text;
    }
}
