using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Creates the webhook's CA and serving certificates with System.Security.Cryptography alone.
/// Keys are ECDSA P-256 with SHA-256 signatures: kube-apiserver (Go crypto/tls) verifies them in TLS 1.2 and 1.3, a
/// P-256 key is as strong as RSA-3072 (NIST SP 800-57) while its key generation takes microseconds instead of RSA's
/// tens to hundreds of milliseconds, and an ECDSA signature per TLS handshake is several times cheaper than an RSA one,
/// which matters on the webhook's hot path.</summary>
public static class CertificateFactory
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>A self-signed CA valid from <paramref name="now"/> (backdated) for <paramref name="validity"/>, allowed to
    /// sign end-entity certificates only (path length 0).</summary>
    public static IssuedCertificate CreateAuthority(string commonName, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN={commonName}");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.Create(subject, X509SignatureGenerator.CreateForECDsa(key), now - CertificateDurations.Backdate,
            now + validity, NewSerialNumber());
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>A serving certificate for <paramref name="dnsNames"/> signed by <paramref name="authority"/>; it never
    /// outlives the CA (a chain is only as valid as its shortest link).</summary>
    /// <exception cref="CertificateMaterialException">The CA certificate or key cannot be read or do not match.</exception>
    public static IssuedCertificate IssueServing(IssuedCertificate authority, IReadOnlyList<string> dnsNames, DateTimeOffset now, TimeSpan validity)
    {
        if (dnsNames.Count == 0) throw new ArgumentException("a serving certificate needs at least one DNS name", nameof(dnsNames));
        using var caCertificate = PemCertificates.ParseOne(authority.CertificatePem, "CA certificate");
        using var caKey = PemCertificates.ParseKey(authority.PrivateKeyPem, "CA key");
        if (!PemCertificates.KeyMatches(caCertificate, caKey))
            throw new CertificateMaterialException("CA key does not belong to the CA certificate");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={dnsNames[Math.Min(2, dnsNames.Count - 1)]}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // ECDSA keys sign in the handshake; key encipherment is an RSA-only usage.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCertificate, true, false));

        var caNotAfter = new DateTimeOffset(caCertificate.NotAfter).ToUniversalTime();
        var notAfter = now + validity < caNotAfter ? now + validity : caNotAfter;
        using var certificate = request.Create(caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now - CertificateDurations.Backdate, notAfter, NewSerialNumber());
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>16 random bytes, top bit cleared so the DER INTEGER stays positive (RFC 5280: at most 20 octets,
    /// unpredictable serials per CA/Browser Forum practice).</summary>
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0) serial[0] = 1;
        return serial;
    }
}
