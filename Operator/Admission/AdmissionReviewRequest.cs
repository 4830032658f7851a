namespace SecurityOperator.Admission;

/// <summary>The parts of an AdmissionReview v1 request the webhook acts on. Byte ranges point into the request body
/// (valid while the body's pooled buffer is held); strings come from a <see cref="Utf8StringCache"/>, so a review of a
/// known namespace and kind allocates nothing. Uid is the raw JSON string token, quotes included, echoed verbatim.
/// Object and OldObject are absent when missing or null (CREATE has no oldObject, DELETE no object).</summary>
public readonly record struct AdmissionReviewRequest(
    ByteRange Uid,
    AdmissionOperation Operation,
    string Group,
    string Kind,
    string? Namespace,
    string SubResource,
    bool DryRun,
    string? UserName,
    ByteRange Object,
    ByteRange OldObject);
