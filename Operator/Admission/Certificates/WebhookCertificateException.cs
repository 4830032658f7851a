namespace SecurityOperator.Admission.Certificates;

/// <summary>The manager cannot proceed without a person (e.g. the Secret has another type, which is immutable).</summary>
public sealed class WebhookCertificateException(string message) : Exception(message);
