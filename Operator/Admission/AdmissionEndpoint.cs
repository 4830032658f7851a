namespace SecurityOperator.Admission;

/// <summary>Which webhook is asked: /validate (ValidatingWebhookConfiguration) or /mutate (MutatingWebhookConfiguration).</summary>
public enum AdmissionEndpoint : byte { Validate, Mutate }

/// <summary>What was decided, for metrics: allowed (evaluated, nothing to say), denied, warned (allowed with warnings or
/// dry-run annotations), patched, excluded (namespace left alone), skipped (not evaluated: DELETE, CONNECT, not a
/// workload, mutation outside CREATE), invalid (the object could not be evaluated).</summary>
public enum AdmissionResult : byte { Allowed, Denied, Warned, Patched, Excluded, Skipped, Invalid }

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
        _ => "invalid",
    };
}
