using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Reading certificates and keys from PEM text, and the checks the rotation logic needs (does a key belong to
/// a certificate, which CA signed a certificate). Every failure is a <see cref="CertificateMaterialException"/> naming
/// what was being read.</summary>
public static class PemCertificates
{
    /// <summary>Every CERTIFICATE block of a bundle, each re-encoded as canonical PEM (64-column base64, trailing
    /// newline), so the same certificates always give the same bytes. Other block labels are errors.</summary>
    public static IReadOnlyList<string> SplitBundle(string pem, string what)
    {
        var result = new List<string>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (!label.SequenceEqual("CERTIFICATE")) throw new CertificateMaterialException($"{what}: unexpected PEM block '{label}' (only CERTIFICATE blocks belong here)");
            using var certificate = ParseOne(rest[fields.Location].ToString(), what);
            result.Add(certificate.ExportCertificatePem() + "\n");
            rest = rest[fields.Location.End..];
        }
        if (rest.Trim().Length > 0) throw new CertificateMaterialException($"{what}: text after the last PEM block is not a certificate");
        return result;
    }

    public static X509Certificate2 ParseOne(string pem, string what)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new CertificateMaterialException($"{what}: not a PEM certificate: {e.Message}", e);
        }
    }

    /// <summary>An ECDSA private key (PKCS#8 or SEC1 PEM).</summary>
    public static ECDsa ParseKey(string pem, string what)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new CertificateMaterialException($"{what}: not a PEM ECDSA private key: {e.Message}", e);
        }
    }

    public static bool KeyMatches(X509Certificate2 certificate, ECDsa key)
    {
        using var publicKey = certificate.GetECDsaPublicKey();
        return publicKey is not null && publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>True when <paramref name="issuer"/>'s key verifies <paramref name="certificate"/>'s signature and the
    /// issuer name matches its subject (what a TLS client checks for one link). Only ECDSA issuers: the only kind this
    /// manager creates; anything else is "not signed by".</summary>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)) return false;
        using var key = issuer.GetECDsaPublicKey();
        if (key is null) return false;
        try
        {
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
            var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            HashAlgorithmName? hash = algorithm switch
            {
                "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
                "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
                "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
                _ => null,
            };
            return hash is { } h && key.VerifyData(tbs.Span, signature, h, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static DateTimeOffset NotBefore(X509Certificate2 certificate) => new DateTimeOffset(certificate.NotBefore).ToUniversalTime();

    public static DateTimeOffset NotAfter(X509Certificate2 certificate) => new DateTimeOffset(certificate.NotAfter).ToUniversalTime();

    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
            if (extension.Oid?.Value == "2.5.29.17")
                return (extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData))
                    .EnumerateDnsNames().ToList();
        return [];
    }
}
