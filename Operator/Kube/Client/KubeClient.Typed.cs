using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecurityOperator.Kube.Client;

// Typed request helpers shared by the verbs: serialize with a source-generated JsonTypeInfo, send, throw typed errors
// for non-2xx, deserialize the answer.
public sealed partial class KubeClient
{
    private async Task<T> SendTypedAsync<T>(string verb, HttpMethod method, string path, ReadOnlyMemory<byte>? body,
        string? contentType, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await SendCheckedAsync(verb, method, path, body, contentType, cancellationToken).ConfigureAwait(false);
        return Decode(response.Body, type, method, path);
    }

    private async Task<KubeRawResponse> SendCheckedAsync(string verb, HttpMethod method, string path, ReadOnlyMemory<byte>? body,
        string? contentType, CancellationToken cancellationToken)
    {
        var response = await SendAsync(verb, method, path, body, contentType, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
            throw KubeApiErrorDecoder.Decode(response.StatusCode, response.ContentType, response.Body, response.RetryAfter,
                $"{method} {path}", _options.TimeProvider.GetUtcNow());
        return response;
    }

    internal static T Decode<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type, HttpMethod method, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new KubeResponseFormatException($"{method} {path}: the answer is JSON null, expected {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new KubeResponseFormatException($"{method} {path}: the answer is not a valid {typeof(T).Name} at {e.Path ?? "$"}: {e.Message}", e);
        }
    }

    private static byte[] Encode<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
