using System.Text;

namespace SecurityOperator.Admission.Certificates;

/// <summary>The content of the webhook TLS Secret: the trust bundle (ca.crt: the newest CA first, then the CAs still
/// trusted during a rotation), the newest CA's key (ca.key; older CAs never sign again, so their keys are not kept),
/// and the serving pair (tls.crt, tls.key). Unreadable parts are left null and named in <see cref="Problems"/>: they
/// count as missing, which the rotation rules turn into a replacement.</summary>
public sealed record CertificateMaterial(
    IReadOnlyList<string> AuthorityPems,
    string? AuthorityKeyPem,
    string? ServingCertificatePem,
    string? ServingKeyPem,
    IReadOnlyList<string> Problems)
{
    public const string ServingCertificateKey = "tls.crt";
    public const string ServingKeyKey = "tls.key";
    public const string BundleKey = "ca.crt";
    public const string AuthorityKeyKey = "ca.key";

    /// <summary>The Secret keys this material owns; any other key in the Secret is left alone.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
        { ServingCertificateKey, ServingKeyKey, BundleKey, AuthorityKeyKey };

    public static readonly CertificateMaterial Empty = new([], null, null, null, []);

    /// <summary>The bundle as the webhook configurations' caBundle carries it: the PEM blocks concatenated.</summary>
    public byte[] Bundle => Encoding.ASCII.GetBytes(string.Concat(AuthorityPems));

    /// <summary>Reads a Secret's data; nothing here throws for bad content.</summary>
    public static CertificateMaterial FromSecretData(IReadOnlyDictionary<string, byte[]>? data, string secretName)
    {
        if (data is null) return Empty;
        var problems = new List<string>();
        IReadOnlyList<string> authorities = [];
        if (data.TryGetValue(BundleKey, out var bundle))
        {
            try
            {
                authorities = PemCertificates.SplitBundle(Encoding.ASCII.GetString(bundle), $"Secret {secretName} {BundleKey}");
            }
            catch (CertificateMaterialException e)
            {
                problems.Add(e.Message);
            }
        }
        return new CertificateMaterial(authorities, Text(data, AuthorityKeyKey), Text(data, ServingCertificateKey), Text(data, ServingKeyKey), problems);
    }

    /// <summary>The Secret data to store (kubernetes.io/tls requires tls.crt and tls.key; both are always written).</summary>
    public Dictionary<string, byte[]> ToSecretData()
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ServingCertificateKey] = Encoding.ASCII.GetBytes(ServingCertificatePem ?? ""),
            [ServingKeyKey] = Encoding.ASCII.GetBytes(ServingKeyPem ?? ""),
            [BundleKey] = Bundle,
        };
        if (AuthorityKeyPem is not null) data[AuthorityKeyKey] = Encoding.ASCII.GetBytes(AuthorityKeyPem);
        return data;
    }

    private static string? Text(IReadOnlyDictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var value) && value.Length > 0 ? Encoding.ASCII.GetString(value) : null;
}
