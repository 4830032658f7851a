using SecurityOperator.Kube.Access;

namespace SecurityOperator.Admission;

/// <summary>The API calls of --role webhook: it watches the policies and namespace labels it decides with, and reads
/// the pull secrets (and service accounts) of pods whose images an imageSignature rule verifies, and the Secrets that
/// hold imageSignature attestor keys (secretRef).</summary>
public static class WebhookApiAccess
{
    public static readonly IReadOnlyList<ApiAccess> Calls =
    [
        .. ApiAccess.ListWatch("security.io", "securitypolicies"),
        .. ApiAccess.ListWatch("security.io", "clustersecuritypolicies"),
        .. ApiAccess.ListWatch("", "namespaces"),
        // Both read Secrets by name (get secrets): listed once.
        .. Signing.Verification.PullSecretCredentials.Calls.Union(Signing.Verification.AttestorKeyResolver.Calls),
    ];
}
