namespace SecurityOperator.Admission.Certificates;

/// <summary>Carries out a <see cref="RotationAction"/> on the stored material (new keys and certificates; no I/O).</summary>
public static class CertificateRotation
{
    public static CertificateMaterial Apply(RotationAction action, CertificateMaterial material, IReadOnlyList<string> dnsNames,
        string authorityName, DateTimeOffset now, CertificateDurations durations)
    {
        switch (action)
        {
            case RotationAction.None:
                return material;
            case RotationAction.Bootstrap:
            {
                var authority = NewAuthority(authorityName, now, durations);
                var serving = CertificateFactory.IssueServing(authority, dnsNames, now, durations.ServingValidity);
                return new CertificateMaterial([authority.CertificatePem], authority.PrivateKeyPem, serving.CertificatePem, serving.PrivateKeyPem, []);
            }
            case RotationAction.AddAuthority:
            {
                // Expired CAs cannot vouch for anything any more; every other one stays until the new CA has taken over.
                var authority = NewAuthority(authorityName, now, durations);
                var kept = material.AuthorityPems.Where(pem => !Expired(pem, now));
                return material with { AuthorityPems = [authority.CertificatePem, .. kept], AuthorityKeyPem = authority.PrivateKeyPem, Problems = [] };
            }
            case RotationAction.IssueServing:
            {
                var authority = SigningAuthority(material);
                var serving = CertificateFactory.IssueServing(authority, dnsNames, now, durations.ServingValidity);
                return material with { ServingCertificatePem = serving.CertificatePem, ServingKeyPem = serving.PrivateKeyPem, Problems = [] };
            }
            case RotationAction.DropPreviousAuthorities:
                return material with { AuthorityPems = [SigningAuthority(material).CertificatePem], Problems = [] };
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "unknown rotation action");
        }
    }

    /// <summary>The CA name carries its creation time (as Kubernetes' self-signed certificates do: "name@unixtime"), so
    /// two generations are told apart in logs and by openssl.</summary>
    private static IssuedCertificate NewAuthority(string name, DateTimeOffset now, CertificateDurations durations) =>
        CertificateFactory.CreateAuthority($"{name}@{now.ToUnixTimeSeconds()}", now, durations.AuthorityValidity);

    /// <summary>The bundle CA that the stored CA key belongs to.</summary>
    private static IssuedCertificate SigningAuthority(CertificateMaterial material)
    {
        var keyPem = material.AuthorityKeyPem ?? throw new CertificateMaterialException($"no {CertificateMaterial.AuthorityKeyKey} to sign with");
        using var key = PemCertificates.ParseKey(keyPem, CertificateMaterial.AuthorityKeyKey);
        foreach (var pem in material.AuthorityPems)
        {
            using var certificate = PemCertificates.ParseOne(pem, CertificateMaterial.BundleKey);
            if (PemCertificates.KeyMatches(certificate, key)) return new IssuedCertificate(pem, keyPem);
        }
        throw new CertificateMaterialException($"{CertificateMaterial.AuthorityKeyKey} belongs to no CA in {CertificateMaterial.BundleKey}");
    }

    private static bool Expired(string pem, DateTimeOffset now)
    {
        using var certificate = PemCertificates.ParseOne(pem, CertificateMaterial.BundleKey);
        return now >= PemCertificates.NotAfter(certificate);
    }
}
