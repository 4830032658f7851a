using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Admission;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Admission;

/// <summary>/readyz (on the metrics port, which starts first) must not say ready before the HTTPS listener is bound:
/// the Service would route the API server's calls to a pod that refuses them.</summary>
public class AdmissionServerReadinessTests
{
    [Fact]
    public async Task ReadyOnlyOnceTheHttpsListenerIsBound()
    {
        var health = new HealthState();
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("webhook-ready"));
        using var certificates = CertificateReloader.Load(volume.CertFile, volume.KeyFile, NullLogger.Instance);
        await using (var server = await StartAsync(new IPEndPoint(IPAddress.Loopback, 0), health, certificates))
        {
            var (ok, report) = health.Ready();
            Assert.True(ok, report);
            Assert.Contains($"[+] {AdmissionServer.ReadinessCheckName}", report);
        }
    }

    [Fact]
    public async Task AListenerThatCannotBindKeepsThePodNotReady()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = (IPEndPoint)occupant.LocalEndpoint;
        var health = new HealthState();
        using var volume = new TestCertificates.SecretVolume(TestCertificates.Create("webhook-ready"));
        using var certificates = CertificateReloader.Load(volume.CertFile, volume.KeyFile, NullLogger.Instance);

        await Assert.ThrowsAnyAsync<IOException>(() => StartAsync(taken, health, certificates));

        var (ok, report) = health.Ready();
        Assert.False(ok);
        Assert.Contains($"[-] {AdmissionServer.ReadinessCheckName}", report);
    }

    private static async Task<AdmissionServer> StartAsync(IPEndPoint listen, HealthState health, CertificateReloader certificates)
    {
        var source = new AdmissionPolicySource(new AdmissionPolicySnapshot([ReviewKit.Restricted()],
            new Dictionary<string, Dictionary<string, string>>(), ReviewKit.DefaultExcluded));
        return await AdmissionServer.StartAsync(new AdmissionServerOptions(listen), new AdmissionReviewer(source), certificates,
            new AdmissionMetrics(new MetricsRegistry()), health, NullLoggerFactory.Instance, CancellationToken.None);
    }
}
