namespace SecurityOperator.Admission.Certificates;

/// <summary>Lifetimes and waiting periods of the self-managed webhook certificates. Each default says where it comes from.</summary>
public sealed record CertificateDurations
{
    /// <summary>One year. Long enough that a CA rotation is rare, short enough that the rotation path runs every year
    /// instead of never (kubeadm's 10-year CA is, in practice, never rotated); this CA signs only this webhook.</summary>
    public TimeSpan AuthorityValidity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>90 days: cert-manager's default Certificate duration (spec.duration 2160h).</summary>
    public TimeSpan ServingValidity { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Renew when this fraction of a certificate's life has passed: 2/3, cert-manager's default renewBefore
    /// (one third of the duration before expiry). For the CA that leaves 4 months, more than a serving lifetime.</summary>
    public double RenewAtFraction { get; init; } = 2.0 / 3.0;

    /// <summary>How long the bundle holding a new CA must be in every webhook configuration before the serving
    /// certificate is switched to that CA. Each kube-apiserver reads webhook configurations through an informer (a
    /// change arrives in seconds); one hour is far above that and above the 30-minute --min-request-timeout default
    /// that bounds a stuck watch before it is re-established.</summary>
    public TimeSpan BundlePropagation { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long the previous CA stays trusted after the serving certificate was switched to the new one: the
    /// webhook pods see the new Secret content after the kubelet's sync (--sync-frequency 1 min plus its Secret cache,
    /// about 1 min more) and the CertificateReloader's 5 s check; one hour is many times that.</summary>
    public TimeSpan PreviousAuthorityRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>NotBefore is set this far in the past so a node whose clock is slightly behind accepts a fresh
    /// certificate: 5 minutes, as Kubernetes' CSR signer backdates (pkg/controller/certificates/signer, Backdate).</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when a value cannot work.</summary>
    public void Validate()
    {
        if (AuthorityValidity <= TimeSpan.Zero) throw new ArgumentException($"AuthorityValidity must be positive, got {AuthorityValidity}");
        if (ServingValidity <= TimeSpan.Zero) throw new ArgumentException($"ServingValidity must be positive, got {ServingValidity}");
        if (RenewAtFraction is <= 0 or >= 1) throw new ArgumentException($"RenewAtFraction must be between 0 and 1 (exclusive), got {RenewAtFraction}");
        if (BundlePropagation < TimeSpan.Zero) throw new ArgumentException($"BundlePropagation must not be negative, got {BundlePropagation}");
        if (PreviousAuthorityRetention < TimeSpan.Zero)
            throw new ArgumentException($"PreviousAuthorityRetention must not be negative, got {PreviousAuthorityRetention}");
        // The old CA must still be valid when the serving certificate can switch away from it, or a rotation could not
        // overlap: the CA's remaining life at its renewal point has to cover the propagation wait with room to spare.
        if (AuthorityValidity * (1 - RenewAtFraction) <= BundlePropagation + PreviousAuthorityRetention)
            throw new ArgumentException("AuthorityValidity * (1 - RenewAtFraction) must exceed BundlePropagation + PreviousAuthorityRetention, " +
                                        "or a CA could expire before its successor takes over");
    }
}
