namespace SecurityOperator.Admission.Certificates;

/// <summary>The DNS names kube-apiserver may use for a webhook Service: it dials &lt;svc&gt;.&lt;ns&gt;.svc (service
/// clientConfig), and the other forms cover clients inside the namespace and fully qualified lookups.</summary>
public static class WebhookDnsNames
{
    public static IReadOnlyList<string> For(string service, string @namespace, string clusterDomain) =>
    [
        service,
        $"{service}.{@namespace}",
        $"{service}.{@namespace}.svc",
        $"{service}.{@namespace}.svc.{clusterDomain}",
    ];
}
