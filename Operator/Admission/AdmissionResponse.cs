namespace SecurityOperator.Admission;

/// <summary>The parts of an AdmissionReview v1 response beyond uid and allowed, built only when there is something to
/// say (the allowed-and-silent answer needs none of it). StatusCode/Message: for a denial (403 policy, 400 object the
/// evaluator could not read). Warnings: shown by kubectl as "Warning: ..." lines. AuditAnnotation: recorded by the API
/// server's audit log under "&lt;webhook name&gt;/&lt;key&gt;". Patch: an RFC 6902 JSON Patch, sent base64.</summary>
public sealed class AdmissionResponse
{
    public bool Allowed { get; init; } = true;
    public int StatusCode { get; init; }
    public string? Message { get; init; }
    public List<string> Warnings { get; } = [];
    public string? AuditAnnotationValue { get; set; }
    public ReadOnlyMemory<byte> Patch { get; init; }
}
