using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecurityOperator.Controllers.Notify;

/// <summary>POSTs one message to the sink, with retries: a network error, a timeout, a 5xx or a 429 is tried again
/// (after the backoff, or the 429/503's Retry-After), up to <see cref="NotifySettings.Retries"/> more times; any other
/// 4xx (the sink rejects the message or the token) and a redirect (the bearer token is not sent to another address)
/// are final.</summary>
public sealed class NotifyClient : IDisposable
{
    private readonly NotifySettings _settings;
    private readonly HttpClient _http;
    private readonly NotifyToken _token;
    private readonly NotifyBackoff _backoff;
    private readonly NotifyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public NotifyClient(NotifySettings settings, NotifyMetrics metrics, TimeProvider? time = null, ILogger? logger = null, NotifyBackoff? backoff = null)
    {
        _settings = settings;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _token = new NotifyToken(settings.TokenFile);
        _backoff = backoff ?? new NotifyBackoff(settings.InitialBackoff, settings.MaxBackoff);
        // Redirects are not followed: the Authorization header must reach only the configured URL.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>True when the sink accepted the message; false when it was given up on (counted and logged).</summary>
    public async Task<bool> SendAsync(NotifyMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, NotifyJsonContext.Default.NotifyMessage);
        for (var attempt = 0; ; attempt++)
        {
            var (outcome, retryAfter, problem) = await AttemptAsync(body, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.Accepted)
            {
                _metrics.Sent.Inc();
                return true;
            }
            if (outcome == Outcome.Final || attempt >= _settings.Retries)
            {
                _metrics.Failed.Inc();
                _logger.LogWarning("Notify: gave up on message {Id} ({Policy} rule {Rule}, {Kind} {Namespace}/{Name}) after {Attempts} attempt(s): {Problem}",
                    message.Id, message.Policy.Name, message.Rule, message.Object.Kind, message.Object.Namespace, message.Object.Name, attempt + 1, problem);
                return false;
            }
            var delay = _backoff.Delay(attempt, retryAfter, _time.GetUtcNow());
            _logger.LogDebug("Notify: attempt {Attempt} of message {Id} failed ({Problem}); retrying in {Delay}", attempt + 1, message.Id, problem, delay);
            _metrics.Retried.Inc();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum Outcome { Accepted, Retry, Final }

    private async Task<(Outcome, RetryConditionHeaderValue?, string)> AttemptAsync(byte[] body, CancellationToken cancellationToken)
    {
        var (token, tokenProblem) = _token.Read();
        // The Secret may be between versions or not mounted yet: worth another try, never a POST without the token.
        if (tokenProblem is not null) return (Outcome.Retry, null, tokenProblem);
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300) return (Outcome.Accepted, null, "");
            var problem = $"HTTP {code} {response.ReasonPhrase}";
            if (response.StatusCode == HttpStatusCode.TooManyRequests || code >= 500) return (Outcome.Retry, response.Headers.RetryAfter, problem);
            return (Outcome.Final, null, problem);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Outcome.Retry, null, $"no answer within {_settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return (Outcome.Retry, null, $"network error: {e.HttpRequestError}");
        }
    }

    public void Dispose() => _http.Dispose();
}
