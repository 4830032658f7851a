namespace SecurityOperator.Admission;

/// <summary>Which webhook is asked: /validate (ValidatingWebhookConfiguration) or /mutate (MutatingWebhookConfiguration).</summary>
public enum AdmissionEndpoint : byte { Validate, Mutate }

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
    public static string Label(this AdmissionEndpoint endpoint) => endpoint == AdmissionEndpoint.Validate ? "validate" : "mutate";

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
