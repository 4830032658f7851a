using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

/// <summary>A non-2xx answer from the API server (or a watch ERROR event), decoded from its metav1.Status body.
/// <see cref="Code"/> is the HTTP status (equal to Status.code on real servers); <see cref="Reason"/> is Status.reason
/// ("NotFound", "Conflict", "Expired", ...; empty when the server sent none, e.g. webhook denials or a text/plain 404).</summary>
public class KubeApiException : Exception
{
    public KubeApiException(int code, string reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Reason = reason;
    }

    public int Code { get; }
    public string Reason { get; }

    /// <summary>The decoded Status body; null when the server sent something else (text/plain, HTML from a proxy).</summary>
    public Status? Status { get; init; }

    /// <summary>Status.details.causes (field errors of a 422, DisruptionBudget of an eviction 429); empty when none.</summary>
    public IReadOnlyList<StatusCause> Causes => Status?.Details?.Causes ?? (IReadOnlyList<StatusCause>)[];

    /// <summary>The request that failed, "GET /api/v1/namespaces/a/pods/b"; null for watch ERROR events.</summary>
    public string? Request { get; init; }

    /// <summary>410: the requested resourceVersion (or continue token) is older than the server keeps. The caller must relist.</summary>
    public bool IsGone => Code == 410;
}
