using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

/// <summary>Turns a non-2xx answer into the matching <see cref="KubeApiException"/> subclass. The Status reason decides
/// when present (it is what client-go's apierrors.IsNotFound etc. look at); the HTTP code decides otherwise.</summary>
internal static class KubeApiErrorDecoder
{
    public static KubeApiException Decode(int code, string? mediaType, ReadOnlySpan<byte> body, RetryConditionHeaderValue? retryAfter,
        string request, DateTimeOffset now)
    {
        var status = TryReadStatus(mediaType, body);
        // kube-apiserver answers a group/version it does not serve with its mux's plain-text 404 (errors-404 request 5).
        if (status is null && code == 404 && mediaType is not null && mediaType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            var text = Encoding.UTF8.GetString(body).Trim();
            return new KubeNotFoundException(404, "",
                $"{request}: 404 {text}: this API group/version is not served by the server (is its CustomResourceDefinition installed?)")
            { ApiNotServed = true, Request = request };
        }
        var reason = status?.Reason ?? "";
        var message = status is null
            ? $"{request}: HTTP {code}: {Snippet(body, mediaType)}"
            : $"{request}: {code} {(reason.Length > 0 ? reason : "(no reason)")}: {status.Message}";
        var (s, r) = (status, request);
        return (reason, code) switch
        {
            ("NotFound", _) or ("", 404) => new KubeNotFoundException(code, reason, message) { Status = s, Request = r },
            ("AlreadyExists", _) => new KubeAlreadyExistsException(code, reason, message) { Status = s, Request = r },
            ("Conflict", _) or ("", 409) => new KubeConflictException(code, reason, message) { Status = s, Request = r },
            ("Forbidden", _) or (_, 403) => new KubeForbiddenException(code, reason, message) { Status = s, Request = r },
            ("Unauthorized", _) or (_, 401) => new KubeUnauthorizedException(code, reason, message) { Status = s, Request = r },
            ("Invalid", _) or (_, 422) => new KubeInvalidException(code, reason, message) { Status = s, Request = r },
            ("Gone", _) or ("Expired", _) or (_, 410) => new KubeGoneException(code, reason, message) { Status = s, Request = r },
            ("TooManyRequests", _) or (_, 429) => new KubeTooManyRequestsException(code, reason, message)
            {
                Status = s, Request = r, RetryAfter = RetryDelay(retryAfter, now) ?? Seconds(status?.Details?.RetryAfterSeconds),
            },
            ("Timeout", _) or ("ServerTimeout", _) or (_, 504) => new KubeTimeoutException(code, reason, message) { Status = s, Request = r },
            ("InternalError", _) or ("", 500) => new KubeInternalErrorException(code, reason, message) { Status = s, Request = r },
            ("BadRequest", _) or ("", 400) => new KubeBadRequestException(code, reason, message) { Status = s, Request = r },
            _ => new KubeApiException(code, reason, message) { Status = s, Request = r },
        };
    }

    /// <summary>An ERROR event inside a watch stream (its object is a Status, e.g. 410 Expired: watch-03).</summary>
    public static KubeApiException FromStatus(Status status, string? request)
    {
        var code = status.Code ?? 500;
        var body = JsonSerializer.SerializeToUtf8Bytes(status, KubeJsonContext.Default.Status);
        return Decode(code, "application/json", body, null, request ?? "watch", DateTimeOffset.UtcNow);
    }

    private static Status? TryReadStatus(string? mediaType, ReadOnlySpan<byte> body)
    {
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || body.IsEmpty) return null;
        try
        {
            var status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException) { return null; }
    }

    private static TimeSpan? RetryDelay(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static TimeSpan? Seconds(int? seconds) => seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;

    private static string Snippet(ReadOnlySpan<byte> body, string? mediaType)
    {
        if (body.IsEmpty) return "(empty body)";
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]).Trim();
        return $"{text} ({mediaType ?? "no content type"})";
    }
}
