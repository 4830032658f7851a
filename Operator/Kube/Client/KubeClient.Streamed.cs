using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecurityOperator.Kube.Client;

// GETs whose answer is decoded as it arrives. A LIST page of 500 pods is megabytes of JSON: reading it whole first
// (the HTTP buffer plus the byte[] copy) put two such arrays per page on the large object heap, which only a full GC
// frees; a controller listing 10,000 pods at start carried tens of MB of them (docs/controller.md, Scale).
public sealed partial class KubeClient
{
    /// <summary>Like <see cref="SendTypedAsync{T}"/> for a GET, with the same errors, retry on 401 with a rotating
    /// credential, timeout and metrics; the success body is deserialized from the response stream.</summary>
    private async Task<T> GetStreamedAsync<T>(string verb, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var method = HttpMethod.Get;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var started = Stopwatch.GetTimestamp();
            var code = 0;
            try
            {
                using var request = await BuildRequestAsync(method, path, null, null, timeout.Token).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                code = (int)response.StatusCode;
                ReadWarnings(response, method, path);
                if (!response.IsSuccessStatusCode)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    if (code == 401 && attempt == 0 && _config.Credentials?.Invalidate() == true)
                        continue;
                    throw KubeApiErrorDecoder.Decode(code, response.Content.Headers.ContentType?.MediaType, bytes, response.Headers.RetryAfter,
                        $"{method} {path}", _options.TimeProvider.GetUtcNow());
                }
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                T? value;
                try
                {
                    value = await JsonSerializer.DeserializeAsync(body, type, timeout.Token).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    throw new KubeResponseFormatException($"{method} {path}: the answer is not a valid {typeof(T).Name} at {e.Path ?? "$"}: {e.Message}", e);
                }
                return value ?? throw new KubeResponseFormatException($"{method} {path}: the answer is JSON null, expected {typeof(T).Name}");
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{method} {path}: no complete answer within {_options.RequestTimeout.TotalSeconds:0.#} s (client-side request timeout)", e);
            }
            finally
            {
                _options.OnRequestCompleted?.Invoke(verb, code, Stopwatch.GetElapsedTime(started));
            }
        }
    }
}
