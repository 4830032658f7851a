namespace SecurityOperator.Admission;

/// <summary>Which webhook is asked. /validate decides with every policy (standalone use, one configuration);
/// a cluster install splits validation by failure policy: /validate/enforce (only enforce-mode policies, registered
/// with failurePolicy Fail) and /validate/audit (only warn and dryrun policies, failurePolicy Ignore), so that a
/// webhook outage blocks only what enforcement requires. /mutate serves the MutatingWebhookConfiguration.</summary>
public enum AdmissionEndpoint : byte { Validate, Mutate, ValidateEnforce, ValidateAudit }

/// <summary>What was decided, for metrics: allowed (evaluated, nothing to say), denied, warned (allowed with warnings or
/// dry-run annotations), patched, excluded (namespace left alone), skipped (not evaluated: DELETE, CONNECT, not a
/// workload, mutation outside CREATE), invalid (the object could not be evaluated); then the HTTP-level refusals, where
/// no AdmissionReview was decided: bad request, body too large, wrong content type, wrong method, body not received
/// within the deadline, internal error.</summary>
public enum AdmissionResult : byte
{
    Allowed, Denied, Warned, Patched, Excluded, Skipped, Invalid,
    BadRequest, TooLarge, UnsupportedMediaType, MethodNotAllowed, Timeout, Error,
}

public static class AdmissionLabels
{
    public const int EndpointCount = (int)AdmissionEndpoint.ValidateAudit + 1;

    public static string Label(this AdmissionEndpoint endpoint) => endpoint switch
    {
        AdmissionEndpoint.Validate => "validate",
        AdmissionEndpoint.Mutate => "mutate",
        AdmissionEndpoint.ValidateEnforce => "validate_enforce",
        _ => "validate_audit",
    };

    public static bool IsValidating(this AdmissionEndpoint endpoint) => endpoint != AdmissionEndpoint.Mutate;

    public static string Label(this AdmissionResult result) => result switch
    {
        AdmissionResult.Allowed => "allowed",
        AdmissionResult.Denied => "denied",
        AdmissionResult.Warned => "warned",
        AdmissionResult.Patched => "patched",
        AdmissionResult.Excluded => "excluded",
        AdmissionResult.Skipped => "skipped",
        AdmissionResult.Invalid => "invalid",
        AdmissionResult.BadRequest => "bad_request",
        AdmissionResult.TooLarge => "too_large",
        AdmissionResult.UnsupportedMediaType => "unsupported_media_type",
        AdmissionResult.MethodNotAllowed => "method_not_allowed",
        AdmissionResult.Timeout => "timeout",
        _ => "error",
    };

    public const int ResultCount = (int)AdmissionResult.Error + 1;
}
