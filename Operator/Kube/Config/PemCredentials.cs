using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecurityOperator.Kube.Config;

/// <summary>Turns the PEM and base64 fields of a kubeconfig into certificates, naming the field when one is broken.</summary>
internal static class PemCredentials
{
    public static byte[] DecodeBase64(string value, string source, string field)
    {
        try { return Convert.FromBase64String(value); }
        catch (FormatException e) { throw new KubeconfigException(source, field, "not valid base64", e); }
    }

    public static byte[] ReadFile(string path, string source, string field)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException(source, field, $"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>One or more PEM CERTIFICATE blocks (a CA bundle).</summary>
    public static X509Certificate2Collection LoadCertificateAuthorities(byte[] pem, string source, string field)
    {
        var certificates = new X509Certificate2Collection();
        try { certificates.ImportFromPem(Encoding.ASCII.GetString(pem)); }
        catch (CryptographicException e) { throw new KubeconfigException(source, field, $"not a valid PEM certificate: {e.Message}", e); }
        if (certificates.Count == 0)
            throw new KubeconfigException(source, field, "contains no PEM CERTIFICATE block");
        return certificates;
    }

    /// <summary>A client certificate with its private key. The key may be PKCS#1 RSA, SEC1 EC or PKCS#8 (what kubeadm,
    /// kind and cert-manager write); encrypted keys are not supported, as in kubectl.</summary>
    public static X509Certificate2 LoadClientCertificate(
        byte[] certificatePem, string certificateField, byte[] keyPem, string keyField, string source)
    {
        var certificateText = Encoding.ASCII.GetString(certificatePem);
        var keyText = Encoding.ASCII.GetString(keyPem);
        try { using var alone = X509Certificate2.CreateFromPem(certificateText); }
        catch (CryptographicException e) { throw new KubeconfigException(source, certificateField, $"not a valid PEM certificate: {e.Message}", e); }
        if (!PemEncoding.TryFind(keyText, out var fields))
            throw new KubeconfigException(source, keyField, "contains no PEM private key block");
        var label = keyText[fields.Label];
        if (label is not ("RSA PRIVATE KEY" or "EC PRIVATE KEY" or "PRIVATE KEY"))
            throw new KubeconfigException(source, keyField, $"unsupported PEM block '{label}' (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
        try { return X509Certificate2.CreateFromPem(certificateText, keyText); }
        catch (CryptographicException e)
        {
            throw new KubeconfigException(source, keyField, $"not a usable private key for the client certificate: {e.Message}", e);
        }
    }
}
