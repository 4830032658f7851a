using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Config;

namespace SecurityOperator.Kube.Client;

/// <summary>The operator's Kubernetes REST client: one HttpClient over one SocketsHttpHandler per API server, with the
/// config's TLS and credentials, client-side rate limiting, per-request timeouts and typed errors. Verbs are in the
/// partial files next to this one; this file holds the request pipeline every verb goes through.</summary>
public sealed partial class KubeClient : IDisposable
{
    private readonly KubeClientConfig _config;
    private readonly KubeClientOptions _options;
    private readonly ILogger _logger;
    private readonly KubeTlsSetup _tls;
    private readonly HttpClient _http;
    private readonly TokenBucketRateLimiter _limiter;
    private readonly string _serverPrefix;

    public KubeClient(KubeClientConfig config, KubeClientOptions? options = null, ILogger<KubeClient>? logger = null)
    {
        _config = config;
        _options = options ?? new KubeClientOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _tls = new KubeTlsSetup(config);
        _http = new HttpClient(_tls.CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _limiter = new TokenBucketRateLimiter(_options.Qps, _options.Burst, _options.TimeProvider);
        // A server URL may carry a path prefix (e.g. a proxy at https://host/k8s/clusters/x); request paths go after it.
        _serverPrefix = config.Server.GetLeftPart(UriPartial.Authority) + config.Server.AbsolutePath.TrimEnd('/');
    }

    public KubeClientConfig Config => _config;

    /// <summary>The namespace of the kubeconfig context or of the pod (in-cluster).</summary>
    public string DefaultNamespace => _config.Namespace;

    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request and reads the whole answer. Non-2xx answers come back as they are (callers decide).
    /// A 401 with a rotating credential (token file, exec plugin) is retried once with a fresh credential.</summary>
    internal Task<KubeRawResponse> SendAsync(string verb, HttpMethod method, string path, ReadOnlyMemory<byte>? body,
        string? contentType, CancellationToken cancellationToken) =>
        SendWithRetryAsync(verb, method, path, body, contentType, HttpCompletionOption.ResponseContentRead,
            async (response, warnings, timeout) =>
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout).ConfigureAwait(false);
                return new KubeRawResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes, warnings)
                {
                    RetryAfter = response.Headers.RetryAfter,
                };
            }, cancellationToken);

    /// <summary>The request loop of every answer read within the request timeout: the per-attempt timeout (a
    /// <see cref="TimeoutException"/> when it fires), warnings, one retry after a 401 when the credential rotates, and the
    /// request metric per attempt. <paramref name="read"/> turns the answer into the result within the same timeout.</summary>
    private async Task<TResult> SendWithRetryAsync<TResult>(string verb, HttpMethod method, string path, ReadOnlyMemory<byte>? body,
        string? contentType, HttpCompletionOption completion,
        Func<HttpResponseMessage, IReadOnlyList<string>, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var started = Stopwatch.GetTimestamp();
            var code = 0;
            try
            {
                using var request = await BuildRequestAsync(method, path, body, contentType, timeout.Token).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
                code = (int)response.StatusCode;
                var warnings = ReadWarnings(response, method, path);
                if (code == 401 && attempt == 0 && _config.Credentials?.Invalidate() == true)
                    continue;
                return await read(response, warnings, timeout.Token).ConfigureAwait(false);
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

    /// <summary>Opens a streaming GET (a watch) and returns its body unread once the headers arrived. The stream is aborted
    /// if it outlives <paramref name="deadline"/>; a non-2xx answer is read and thrown as a typed error.</summary>
    internal async Task<Stream> OpenStreamAsync(string verb, string path, TimeSpan deadline, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lifetime.CancelAfter(deadline);
            var started = Stopwatch.GetTimestamp();
            var code = 0;
            HttpResponseMessage? response = null;
            try
            {
                using (var request = await BuildRequestAsync(HttpMethod.Get, path, null, null, lifetime.Token).ConfigureAwait(false))
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, lifetime.Token).ConfigureAwait(false);
                code = (int)response.StatusCode;
                ReadWarnings(response, HttpMethod.Get, path);
                if (!response.IsSuccessStatusCode)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(lifetime.Token).ConfigureAwait(false);
                    if (code == 401 && attempt == 0 && _config.Credentials?.Invalidate() == true)
                        continue;
                    throw KubeApiErrorDecoder.Decode(code, response.Content.Headers.ContentType?.MediaType, bytes,
                        response.Headers.RetryAfter, $"GET {path}", _options.TimeProvider.GetUtcNow());
                }
                var body = await response.Content.ReadAsStreamAsync(lifetime.Token).ConfigureAwait(false);
                var stream = new OwnedResponseStream(body, response, lifetime);
                response = null;
                lifetime = null;
                return stream;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"GET {path}: no answer within {deadline.TotalSeconds:0.#} s", e);
            }
            finally
            {
                response?.Dispose();
                lifetime?.Dispose();
                _options.OnRequestCompleted?.Invoke(verb, code, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body,
        string? contentType, CancellationToken cancellationToken)
    {
        if (!path.StartsWith('/')) throw new ArgumentException($"request path '{path}' must start with '/'", nameof(path));
        await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        var request = new HttpRequestMessage(method, _serverPrefix + path);
        if (_config.Credentials is { } source)
        {
            var credential = await source.GetAsync(cancellationToken).ConfigureAwait(false);
            if (credential.ClientCertificate is not null) _tls.CurrentClientCertificate = credential.ClientCertificate;
            if (credential.BearerToken is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.BearerToken);
        }
        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }
        return request;
    }

    private IReadOnlyList<string> ReadWarnings(HttpResponseMessage response, HttpMethod method, string path)
    {
        if (!response.Headers.TryGetValues("Warning", out var values)) return [];
        var warnings = new List<string>();
        foreach (var value in values) warnings.AddRange(WarningHeader.Parse(value));
        foreach (var warning in warnings)
        {
            if (_options.OnWarning is { } callback) callback($"{method} {path}", warning);
            else _logger.LogWarning("API server warning for {Method} {Path}: {Warning}", method.Method, path, warning);
        }
        return warnings;
    }
}
