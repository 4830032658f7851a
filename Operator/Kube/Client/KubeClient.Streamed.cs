using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecurityOperator.Kube.Client;

// GETs whose answer is decoded as it arrives. A LIST page of 500 pods is megabytes of JSON: reading it whole first
// (the HTTP buffer plus the byte[] copy) put two such arrays per page on the large object heap, which only a full GC
// frees; a controller listing 10,000 pods at start carried tens of MB of them (docs/controller.md, Scale).
public sealed partial class KubeClient
{
    /// <summary>Like <see cref="SendTypedAsync{T}"/> for a GET, with the same errors, retry on 401 with a rotating
    /// credential, timeout and metrics (the same request loop); the success body is deserialized from the response
    /// stream.</summary>
    private Task<T> GetStreamedAsync<T>(string verb, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendWithRetryAsync(verb, HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead,
            async (response, _, timeout) =>
            {
                if (!response.IsSuccessStatusCode)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(timeout).ConfigureAwait(false);
                    throw KubeApiErrorDecoder.Decode((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes,
                        response.Headers.RetryAfter, $"GET {path}", _options.TimeProvider.GetUtcNow());
                }
                await using var body = await response.Content.ReadAsStreamAsync(timeout).ConfigureAwait(false);
                T? value;
                try
                {
                    value = await JsonSerializer.DeserializeAsync(body, type, timeout).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    throw new KubeResponseFormatException($"GET {path}: the answer is not a valid {typeof(T).Name} at {e.Path ?? "$"}: {e.Message}", e);
                }
                return value ?? throw new KubeResponseFormatException($"GET {path}: the answer is JSON null, expected {typeof(T).Name}");
            }, cancellationToken);
}
