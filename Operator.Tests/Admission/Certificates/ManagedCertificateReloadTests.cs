using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SecurityOperator.Admission;
using SecurityOperator.Admission.Certificates;
using ManualClock = SecurityOperator.Tests.Kube.Config.ManualTimeProvider;

namespace SecurityOperator.Tests.Admission.Certificates;

/// <summary>The webhook's CertificateReloader takes what the manager writes, delivered the way the kubelet delivers a
/// Secret volume update (a new ..data directory swapped in by one rename), and a TLS client that trusts only the
/// caBundle of the webhook configurations accepts the served certificate under the Service name, before and after.</summary>
public class ManagedCertificateReloadTests
{
    private const string ServiceHost = "security-operator-webhook.security-operator.svc";

    [Fact]
    public async Task A_rotated_serving_certificate_reaches_the_webhook_through_a_secret_volume_swap()
    {
        await using var cluster = await WebhookCertificateCluster.StartAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var manager = new WebhookCertificateManager(cluster.Cluster.Client, new WebhookCertificateOptions(), clock);
        await manager.ReconcileAsync();

        using var volume = new TestCertificates.SecretVolume(new TestCertificates.Pem(cluster.SecretText("tls.crt"), cluster.SecretText("tls.key"), ""));
        using var reloader = CertificateReloader.Load(volume.CertFile, volume.KeyFile);
        var first = reloader.Current.Thumbprint;
        Assert.True(await HandshakeAsync(reloader, cluster.Bundle(), clock.GetUtcNow()));

        // Take the CA rotation to the point where the serving certificate moves to the new CA.
        RotationAction action;
        do
        {
            var result = await manager.ReconcileAsync();
            action = result.Decision.Action;
            if (action == RotationAction.None) clock.Advance(result.Decision.NextCheckAt!.Value - clock.GetUtcNow());
        } while (action != RotationAction.IssueServing || cluster.Bundle().Split("BEGIN CERTIFICATE").Length != 3);

        Assert.False(reloader.CheckNow());                  // nothing changed on disk yet
        volume.Swap(cluster.SecretText("tls.crt"), cluster.SecretText("tls.key"));
        Assert.True(reloader.CheckNow());
        Assert.NotEqual(first, reloader.Current.Thumbprint);
        using (var written = X509Certificate2.CreateFromPem(cluster.SecretText("tls.crt")))
            Assert.Equal(written.Thumbprint, reloader.Current.Thumbprint);
        Assert.True(await HandshakeAsync(reloader, cluster.Bundle(), clock.GetUtcNow()));
    }

    /// <summary>A TLS 1.2/1.3 handshake on loopback: the server presents reloader.Current, the client trusts only the
    /// bundle and checks the Service host name, as kube-apiserver does; the chain is checked at the manager's clock time
    /// <paramref name="at"/> (the certificates of a simulated rotation are not valid at the real time).</summary>
    private static async Task<bool> HandshakeAsync(CertificateReloader reloader, string bundle, DateTimeOffset at)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(bundle);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var server = new SslStream(socket.GetStream());
            await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = reloader.Current });
        });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(client.GetStream());
        var trusted = false;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = ServiceHost,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationTime = at.UtcDateTime;
                trusted = chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                return trusted;
            },
        });
        await serverTask;
        return trusted;
    }
}
