using SecurityOperator.Kube.Access;

namespace SecurityOperator.Admission.Certificates;

/// <summary>The API calls of <see cref="WebhookCertificateManager"/> (run by the controller role): read and write its
/// Secret (PUT with resourceVersion, never delete), read the webhook configurations and JSON-patch their caBundle.</summary>
public static class WebhookCertificateApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        new("", "secrets", "get"),
        new("", "secrets", "create"),
        new("", "secrets", "update"),
        new("admissionregistration.k8s.io", "validatingwebhookconfigurations", "get"),
        new("admissionregistration.k8s.io", "validatingwebhookconfigurations", "patch"),
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "get"),
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "patch"),
    ];
}
