using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Tests.Admission;

/// <summary>Self-signed serving certificates for 127.0.0.1 (CertificateRequest), written as PEM files, and a Secret
/// volume laid out the way the kubelet writes it: tls.crt → ..data/tls.crt, ..data → ..&lt;timestamp&gt; directory,
/// updated by renaming a new ..data link over the old one (one atomic rename(2)).</summary>
internal static partial class TestCertificates
{
    public sealed record Pem(string Cert, string Key, string Subject);

    public static Pem Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new Pem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), $"CN={commonName}");
    }

    /// <summary>A Secret volume directory; <see cref="CertFile"/> and <see cref="KeyFile"/> are the paths a pod reads.</summary>
    public sealed partial class SecretVolume : IDisposable
    {
        private int _generation;

        public SecretVolume(Pem initial)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("secop-tls-").FullName;
            Swap(initial.Cert, initial.Key);
            File.CreateSymbolicLink(CertFile, "..data/tls.crt");
            File.CreateSymbolicLink(KeyFile, "..data/tls.key");
        }

        public string Directory { get; }
        public string CertFile => Path.Combine(Directory, "tls.crt");
        public string KeyFile => Path.Combine(Directory, "tls.key");

        public void Swap(Pem pem) => Swap(pem.Cert, pem.Key);

        /// <summary>What the kubelet's atomic writer does: write a new timestamped directory, point a temporary link at
        /// it, rename the link over ..data, remove the old directory.</summary>
        public void Swap(string cert, string key)
        {
            var previous = Path.Combine(Directory, "..data");
            var old = File.Exists(previous) || System.IO.Directory.Exists(previous) ? new FileInfo(previous).LinkTarget : null;
            var generation = $"..2026_11_22_13_00_00.{++_generation:D9}";
            var target = System.IO.Directory.CreateDirectory(Path.Combine(Directory, generation)).FullName;
            File.WriteAllText(Path.Combine(target, "tls.crt"), cert);
            File.WriteAllText(Path.Combine(target, "tls.key"), key);
            var temporary = Path.Combine(Directory, "..data_tmp");
            File.CreateSymbolicLink(temporary, generation);
            if (rename(temporary, previous) != 0) throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
            if (old is not null) System.IO.Directory.Delete(Path.Combine(Directory, old), recursive: true);
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int rename(string oldPath, string newPath);
    }
}
