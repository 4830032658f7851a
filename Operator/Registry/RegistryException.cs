using System.Net;

namespace SecurityOperator.Registry;

/// <summary>A registry request that failed: the message names the registry, the repository and what was asked, the
/// HTTP status and the registry's own error code (e.g. MANIFEST_UNKNOWN) when it sent one.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string message, HttpStatusCode? status = null, string? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public HttpStatusCode? Status { get; }
    public string? ErrorCode { get; }

    /// <summary>The registry says the thing does not exist (404, or an *_UNKNOWN error code).</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound || ErrorCode is "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN" or "NAME_UNKNOWN";

    /// <summary>The registry could not be asked, not that it said no: no connection, no answer in time (the transport
    /// wraps those without a status), a 5xx, or 429 (rate limited). Refused credentials, a missing image or content
    /// that does not match its digest are answers, so they are not "unavailable".</summary>
    public bool IsUnavailable => Status is null
        ? InnerException is HttpRequestException or OperationCanceledException or IOException
        : (int)Status.Value >= 500 || Status == HttpStatusCode.TooManyRequests;
}

/// <summary>Content whose digest is not the one asked for (or announced): never used, always an error.</summary>
public sealed class DigestMismatchException(string message) : Exception(message);
