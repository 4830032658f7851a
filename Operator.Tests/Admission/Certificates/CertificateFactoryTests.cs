using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecurityOperator.Admission.Certificates;

namespace SecurityOperator.Tests.Admission.Certificates;

public class CertificateFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> Names = WebhookDnsNames.For("security-operator-webhook", "security-operator", "cluster.local");

    [Fact]
    public void The_dns_names_are_the_four_forms_of_the_service_name()
    {
        Assert.Equal(["security-operator-webhook", "security-operator-webhook.security-operator", "security-operator-webhook.security-operator.svc",
            "security-operator-webhook.security-operator.svc.cluster.local"], Names);
    }

    [Fact]
    public void The_CA_is_a_P256_CA_limited_to_end_entity_certificates()
    {
        var ca = CertificateFactory.CreateAuthority("test-ca", Now, TimeSpan.FromDays(365));
        using var certificate = X509Certificate2.CreateFromPem(ca.CertificatePem);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(constraints.Critical);
        Assert.True(certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        using var key = certificate.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.Equal(Now - TimeSpan.FromMinutes(5), PemCertificates.NotBefore(certificate));
        Assert.Equal(Now + TimeSpan.FromDays(365), PemCertificates.NotAfter(certificate));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", ca.PrivateKeyPem);
    }

    [Fact]
    public void The_serving_certificate_chains_to_its_CA_for_every_service_name_as_a_TLS_client_checks_it()
    {
        var ca = CertificateFactory.CreateAuthority("test-ca", Now, TimeSpan.FromDays(365));
        var serving = CertificateFactory.IssueServing(ca, Names, Now, TimeSpan.FromDays(90));
        using var caCertificate = X509Certificate2.CreateFromPem(ca.CertificatePem);
        using var certificate = X509Certificate2.CreateFromPem(serving.CertificatePem, serving.PrivateKeyPem);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(Names, PemCertificates.DnsNames(certificate));
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(),
            o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(PemCertificates.IsSignedBy(certificate, caCertificate));
        foreach (var name in Names) Assert.True(certificate.MatchesHostname(name), name);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void A_serving_certificate_never_outlives_its_CA()
    {
        var ca = CertificateFactory.CreateAuthority("short-ca", Now, TimeSpan.FromDays(10));
        var serving = CertificateFactory.IssueServing(ca, Names, Now, TimeSpan.FromDays(90));
        using var certificate = X509Certificate2.CreateFromPem(serving.CertificatePem);
        Assert.Equal(Now + TimeSpan.FromDays(10), PemCertificates.NotAfter(certificate));
    }

    [Fact]
    public void A_certificate_is_not_signed_by_another_CA_even_with_the_same_name()
    {
        var one = CertificateFactory.CreateAuthority("same-name", Now, TimeSpan.FromDays(365));
        var two = CertificateFactory.CreateAuthority("same-name", Now, TimeSpan.FromDays(365));
        var serving = CertificateFactory.IssueServing(one, Names, Now, TimeSpan.FromDays(90));
        using var certificate = X509Certificate2.CreateFromPem(serving.CertificatePem);
        using var caOne = X509Certificate2.CreateFromPem(one.CertificatePem);
        using var caTwo = X509Certificate2.CreateFromPem(two.CertificatePem);
        Assert.True(PemCertificates.IsSignedBy(certificate, caOne));
        Assert.False(PemCertificates.IsSignedBy(certificate, caTwo));
    }

    [Fact]
    public void Issuing_with_a_key_of_another_CA_is_refused()
    {
        var one = CertificateFactory.CreateAuthority("one", Now, TimeSpan.FromDays(365));
        var two = CertificateFactory.CreateAuthority("two", Now, TimeSpan.FromDays(365));
        var e = Assert.Throws<CertificateMaterialException>(() =>
            CertificateFactory.IssueServing(one with { PrivateKeyPem = two.PrivateKeyPem }, Names, Now, TimeSpan.FromDays(90)));
        Assert.Contains("does not belong", e.Message);
    }

    [Fact]
    public void A_bundle_splits_into_canonical_certificates_and_bad_blocks_are_named()
    {
        var one = CertificateFactory.CreateAuthority("one", Now, TimeSpan.FromDays(365));
        var two = CertificateFactory.CreateAuthority("two", Now, TimeSpan.FromDays(365));
        var split = PemCertificates.SplitBundle("\n" + one.CertificatePem.TrimEnd() + "\r\n\r\n" + two.CertificatePem, "ca.crt");
        Assert.Equal([one.CertificatePem, two.CertificatePem], split);
        var e = Assert.Throws<CertificateMaterialException>(() => PemCertificates.SplitBundle(one.CertificatePem + one.PrivateKeyPem, "Secret x ca.crt"));
        Assert.Contains("Secret x ca.crt", e.Message);
        Assert.Contains("PRIVATE KEY", e.Message);
        Assert.Throws<CertificateMaterialException>(() => PemCertificates.SplitBundle(one.CertificatePem + "garbage", "ca.crt"));
    }

    [Fact]
    public void The_inspector_reports_which_CA_holds_the_key_and_which_signed_the_serving_certificate()
    {
        var one = CertificateFactory.CreateAuthority("one", Now, TimeSpan.FromDays(365));
        var two = CertificateFactory.CreateAuthority("two", Now + TimeSpan.FromDays(1), TimeSpan.FromDays(365));
        var serving = CertificateFactory.IssueServing(one, Names, Now, TimeSpan.FromDays(90));
        var material = new CertificateMaterial([two.CertificatePem, one.CertificatePem], two.PrivateKeyPem, serving.CertificatePem, serving.PrivateKeyPem, []);
        var facts = CertificateInspector.Inspect(material, Names, Now);
        using var caOne = X509Certificate2.CreateFromPem(one.CertificatePem);
        using var caTwo = X509Certificate2.CreateFromPem(two.CertificatePem);
        Assert.Equal(PemCertificates.Fingerprint(caTwo), facts.SigningAuthority!.Fingerprint);
        Assert.Equal(PemCertificates.Fingerprint(caOne), facts.Serving!.IssuerFingerprint);
        Assert.Equal(Now, facts.Serving.IssuedAt);
        Assert.True(facts.Serving.NamesMatch);
        Assert.True(facts.Serving.KeyMatches);
        Assert.Empty(facts.Problems);

        var otherNames = CertificateInspector.Inspect(material, WebhookDnsNames.For("other", "security-operator", "cluster.local"), Now);
        Assert.False(otherNames.Serving!.NamesMatch);
        var wrongKey = CertificateInspector.Inspect(material with { ServingKeyPem = one.PrivateKeyPem }, Names, Now);
        Assert.False(wrongKey.Serving!.KeyMatches);
        var brokenKey = CertificateInspector.Inspect(material with { AuthorityKeyPem = "not a key" }, Names, Now);
        Assert.Null(brokenKey.SigningAuthority);
        Assert.Contains(brokenKey.Problems, p => p.StartsWith("ca.key: not a PEM ECDSA private key"));
    }
}
