namespace SecurityOperator.Admission.Certificates;

/// <summary>Where the webhook's certificates live and which webhook configurations get the CA bundle. The defaults
/// are the names in manifests/webhook/.</summary>
public sealed record WebhookCertificateOptions
{
    /// <summary>The operator's namespace (manifests/namespace.yaml).</summary>
    public string Namespace { get; init; } = "security-operator";

    /// <summary>The webhook Service (manifests/webhook/service.yaml); its DNS names go into the serving certificate.</summary>
    public string ServiceName { get; init; } = "security-operator-webhook";

    /// <summary>The kubernetes.io/tls Secret the webhook Deployment mounts (manifests/webhook/deployment.yaml).</summary>
    public string SecretName { get; init; } = "security-operator-webhook-tls";

    /// <summary>kubelet's default --cluster-domain.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>manifests/webhook/validating-webhook-configurations.yaml: enforce (Fail) and audit (Ignore).</summary>
    public IReadOnlyList<string> ValidatingWebhookConfigurations { get; init; } = ["security-operator-enforce", "security-operator-audit"];

    /// <summary>manifests/webhook/mutating-webhook-configuration.yaml.</summary>
    public IReadOnlyList<string> MutatingWebhookConfigurations { get; init; } = ["security-operator-mutate"];

    /// <summary>The CA's common name (a creation timestamp is appended).</summary>
    public string AuthorityName { get; init; } = "security-operator-webhook-ca";

    public CertificateDurations Durations { get; init; } = new();

    /// <summary>How often the loop re-reads the Secret and the configurations even when no step is due: a configuration
    /// re-created by `kubectl apply` without caBundle (TLS to the webhook then fails) gets it back within this. One
    /// minute, the kubelet's default --sync-frequency, the same order as the Secret's own propagation to the pods.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait after a failed reconcile (API error, conflict): 10 s, short enough that a transient error delays a
    /// step by seconds, long enough not to hammer an API server that is struggling.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> DnsNames => WebhookDnsNames.For(ServiceName, Namespace, ClusterDomain);
}
