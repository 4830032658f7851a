using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;
using SecurityOperator.Tests.Hosting.Logging;

namespace SecurityOperator.Tests.Admission;

public class CertificateReloaderTests
{
    [Fact]
    public void SymlinkSwapOfASecretVolumeIsTakenWithoutRestart()
    {
        var one = TestCertificates.Create("one");
        var two = TestCertificates.Create("two");
        using var volume = new TestCertificates.SecretVolume(one);
        using var reloader = CertificateReloader.Load(volume.CertFile, volume.KeyFile);
        Assert.Equal(one.Subject, reloader.Current.Subject);
        Assert.False(reloader.CheckNow());

        volume.Swap(two);
        Assert.True(reloader.CheckNow());
        Assert.Equal(two.Subject, reloader.Current.Subject);
        Assert.True(reloader.Current.HasPrivateKey);
        Assert.False(reloader.CheckNow());
    }

    [Fact]
    public void ABadNewPairKeepsTheCurrentCertificateAndIsLoggedOnce()
    {
        var one = TestCertificates.Create("one");
        var two = TestCertificates.Create("two");
        var capture = new LogCapture();
        using var volume = new TestCertificates.SecretVolume(one);
        using var reloader = CertificateReloader.Load(volume.CertFile, volume.KeyFile, capture.Logger("certificates"));

        volume.Swap(two.Cert, one.Key);         // key of another certificate
        Assert.False(reloader.CheckNow());
        Assert.False(reloader.CheckNow());
        volume.Swap("not a certificate", two.Key);
        Assert.False(reloader.CheckNow());
        Assert.Equal(one.Subject, reloader.Current.Subject);

        volume.Swap(two);                      // the pair is fixed: taken at the next check
        Assert.True(reloader.CheckNow());
        Assert.Equal(two.Subject, reloader.Current.Subject);

        var lines = capture.Lines();
        Assert.Equal(3, lines.Length);
        Assert.All(lines[..2], l => Assert.StartsWith("keeping the current serving certificate: ", l.GetProperty("message").GetString()));
        Assert.Contains(volume.CertFile, lines[0].GetProperty("message").GetString());
        Assert.StartsWith("serving certificate reloaded", lines[2].GetProperty("message").GetString());
    }

    [Fact]
    public void MissingOrInvalidFilesAtStartNameTheFiles()
    {
        var missing = Assert.Throws<CertificateLoadException>(() => CertificateReloader.Load("/nonexistent/tls.crt", "/nonexistent/tls.key"));
        Assert.Contains("/nonexistent/tls.crt", missing.Message);
        var one = TestCertificates.Create("one");
        var two = TestCertificates.Create("two");
        using var volume = new TestCertificates.SecretVolume(one);
        volume.Swap(one.Cert, two.Key);
        var mismatch = Assert.Throws<CertificateLoadException>(() => CertificateReloader.Load(volume.CertFile, volume.KeyFile));
        Assert.Contains("matching private key", mismatch.Message);
    }
}
