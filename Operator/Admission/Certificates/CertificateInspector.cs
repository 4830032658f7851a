using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Turns stored material into <see cref="CertificateFacts"/>: parses the certificates, checks which CA the
/// stored CA key belongs to, which CA signed the serving certificate, and whether its names and key match.</summary>
public static class CertificateInspector
{
    public static CertificateFacts Inspect(CertificateMaterial material, IReadOnlyList<string> dnsNames, DateTimeOffset? bundleInPlaceSince)
    {
        var problems = new List<string>(material.Problems);
        var authorities = new List<X509Certificate2>();
        try
        {
            foreach (var pem in material.AuthorityPems) authorities.Add(PemCertificates.ParseOne(pem, "CA certificate"));
            var authorityFacts = authorities.Select(Facts).ToList();
            var signing = SigningAuthority(material, authorities, problems);
            var serving = Serving(material, authorities, dnsNames, problems);
            return new CertificateFacts(authorityFacts, signing is null ? null : Facts(signing), serving, bundleInPlaceSince, problems);
        }
        finally
        {
            foreach (var authority in authorities) authority.Dispose();
        }
    }

    private static X509Certificate2? SigningAuthority(CertificateMaterial material, List<X509Certificate2> authorities, List<string> problems)
    {
        if (material.AuthorityKeyPem is null) return null;
        try
        {
            using var key = PemCertificates.ParseKey(material.AuthorityKeyPem, CertificateMaterial.AuthorityKeyKey);
            var match = authorities.FirstOrDefault(a => PemCertificates.KeyMatches(a, key));
            if (match is null) problems.Add($"{CertificateMaterial.AuthorityKeyKey} belongs to no CA in {CertificateMaterial.BundleKey}");
            return match;
        }
        catch (CertificateMaterialException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    private static ServingFacts? Serving(CertificateMaterial material, List<X509Certificate2> authorities, IReadOnlyList<string> dnsNames, List<string> problems)
    {
        if (material.ServingCertificatePem is null) return null;
        try
        {
            using var certificate = PemCertificates.ParseOne(material.ServingCertificatePem, CertificateMaterial.ServingCertificateKey);
            var keyMatches = false;
            if (material.ServingKeyPem is not null)
            {
                try
                {
                    using var key = PemCertificates.ParseKey(material.ServingKeyPem, CertificateMaterial.ServingKeyKey);
                    keyMatches = PemCertificates.KeyMatches(certificate, key);
                }
                catch (CertificateMaterialException e)
                {
                    problems.Add(e.Message);
                }
            }
            var issuer = authorities.FirstOrDefault(a => PemCertificates.IsSignedBy(certificate, a));
            var names = PemCertificates.DnsNames(certificate);
            var namesMatch = names.Count == dnsNames.Count && dnsNames.All(n => names.Contains(n, StringComparer.OrdinalIgnoreCase));
            return new ServingFacts(PemCertificates.NotBefore(certificate) + CertificateDurations.Backdate, PemCertificates.NotAfter(certificate),
                issuer is null ? null : PemCertificates.Fingerprint(issuer), namesMatch, keyMatches);
        }
        catch (CertificateMaterialException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    private static AuthorityFacts Facts(X509Certificate2 certificate) =>
        new(PemCertificates.Fingerprint(certificate), PemCertificates.NotBefore(certificate), PemCertificates.NotAfter(certificate));
}
