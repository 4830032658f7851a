namespace SecurityOperator.Kube.Client;

/// <summary>The answer of a raw request: status, media type, body and Warning texts, whatever the status was.</summary>
public sealed record KubeRawResponse(int StatusCode, string? ContentType, byte[] Body, IReadOnlyList<string> Warnings)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The Retry-After header, if any (used for 429 errors).</summary>
    public System.Net.Http.Headers.RetryConditionHeaderValue? RetryAfter { get; init; }
}
