using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

// One subclass per metav1.StatusReason a caller reacts to differently. Anything else stays a plain KubeApiException.
// Each keeps the server's reason text (Reason) and the whole Status (Status).

/// <summary>404: the object (or its namespace, or the resource) does not exist. <see cref="ApiNotServed"/> is true for
/// the text/plain "404 page not found" kube-apiserver gives for a group/version it does not serve (e.g. a CRD that is not
/// installed, errors-404 request 5).</summary>
public sealed class KubeNotFoundException(int code, string reason, string message) : KubeApiException(code, reason, message)
{
    public bool ApiNotServed { get; init; }
}

/// <summary>409 AlreadyExists: a create of a name that is taken.</summary>
public sealed class KubeAlreadyExistsException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>409 Conflict: a stale resourceVersion (PUT, merge patch, delete precondition) or a server-side apply field
/// conflict (reason "Conflict" with causes FieldManagerConflict). Re-read and retry.</summary>
public sealed class KubeConflictException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>403: RBAC denies the request, or an admission webhook denied it (then Reason is empty: adm-08).</summary>
public sealed class KubeForbiddenException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>401: the credential was rejected (after one refresh of a rotating credential).</summary>
public sealed class KubeUnauthorizedException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>422 Invalid: validation failed; <see cref="KubeApiException.Causes"/> lists each field error.</summary>
public sealed class KubeInvalidException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>410 Gone/Expired: a resourceVersion or continue token older than the server keeps. Relist.</summary>
public sealed class KubeGoneException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>429: API priority and fairness throttling (Retry-After header set) or an eviction blocked by a
/// PodDisruptionBudget (no Retry-After; cause DisruptionBudget: pods-11).</summary>
public sealed class KubeTooManyRequestsException(int code, string reason, string message) : KubeApiException(code, reason, message)
{
    /// <summary>From the Retry-After header, else Status.details.retryAfterSeconds; null when neither is present.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsDisruptionBudget => Causes.Any(c => c.Reason == "DisruptionBudget");
}

/// <summary>504 Timeout or 500 ServerTimeout: the server gave up; the operation may still complete.</summary>
public sealed class KubeTimeoutException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>500 InternalError, e.g. a failing admission webhook with failurePolicy Fail (adm-10, adm-11).</summary>
public sealed class KubeInternalErrorException(int code, string reason, string message) : KubeApiException(code, reason, message);

/// <summary>400 BadRequest: a malformed body, a bad selector, a MicroTime without 6 digits (coord-01), Strict field validation.</summary>
public sealed class KubeBadRequestException(int code, string reason, string message) : KubeApiException(code, reason, message);
