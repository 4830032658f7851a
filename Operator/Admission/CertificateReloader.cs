using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecurityOperator.Admission;

/// <summary>The serving certificate from a PEM certificate file and a PEM key file, taken again whenever their content
/// changes, without a restart. A mounted Secret is updated by the kubelet with an atomic symlink swap (tls.crt →
/// ..data/tls.crt, ..data → ..2026_xx; a new ..2026_yy directory is written, then ..data is renamed over), so the
/// files are compared by content, read through the links: that sees the swap whatever the link structure, and both
/// files always come from the same generation. A new pair that does not load (half written, key not matching the
/// certificate) is logged once and the previous certificate stays in use; it is retried at every check.
/// The certificate file may hold a chain (leaf first, then intermediates, as cert-manager and most CAs write tls.crt):
/// the intermediates are sent in the handshake, since a client such as the API server trusts only the root in its
/// caBundle. Kestrel asks <see cref="ServerOptions"/> at every TLS handshake; it is built once per certificate.</summary>
public sealed class CertificateReloader : IDisposable
{
    // The kubelet refreshes Secret volumes about once a minute (its sync period plus the Secret cache TTL); checking
    // every 5 s adds little to that delay and costs two small file reads.
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private byte[] _certPem;
    private byte[] _keyPem;
    private byte[]? _rejectedCertPem, _rejectedKeyPem;
    private volatile X509Certificate2 _current;
    private volatile SslServerAuthenticationOptions _serverOptions;
    private ITimer? _timer;

    private CertificateReloader(string certFile, string keyFile, ILogger log, byte[] certPem, byte[] keyPem, LoadedCertificate certificate)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _log = log;
        _certPem = certPem;
        _keyPem = keyPem;
        _current = certificate.Leaf;
        _serverOptions = certificate.Options;
    }

    /// <summary>Loads the initial pair; throws <see cref="CertificateLoadException"/> naming the files and the problem.</summary>
    public static CertificateReloader Load(string certFile, string keyFile, ILogger? log = null)
    {
        var (certPem, keyPem) = Read(certFile, keyFile);
        var certificate = Create(certFile, keyFile, certPem, keyPem);
        return new CertificateReloader(certFile, keyFile, log ?? NullLogger.Instance, certPem, keyPem, certificate);
    }

    /// <summary>The serving (leaf) certificate.</summary>
    public X509Certificate2 Current => _current;

    /// <summary>What a TLS handshake uses: the leaf and its intermediates (one immutable context per certificate),
    /// TLS 1.2 and 1.3, ALPN h2 and http/1.1 as Kestrel offers by default.</summary>
    public SslServerAuthenticationOptions ServerOptions => _serverOptions;

    /// <summary>Checks the files every <paramref name="interval"/> on <paramref name="time"/>'s timer.</summary>
    public void Start(TimeSpan interval, TimeProvider? time = null) =>
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => CheckNow(), null, interval, interval);

    /// <summary>Reads the files; true when a changed, valid pair was taken.</summary>
    public bool CheckNow()
    {
        lock (_gate)
        {
            byte[] certPem, keyPem;
            try
            {
                (certPem, keyPem) = Read(_certFile, _keyFile);
            }
            catch (CertificateLoadException e)
            {
                // During a swap a file can be briefly missing; the next check sees the finished state.
                Reject(e.Message, [], []);
                return false;
            }
            if (certPem.AsSpan().SequenceEqual(_certPem) && keyPem.AsSpan().SequenceEqual(_keyPem)) return false;
            LoadedCertificate certificate;
            try
            {
                certificate = Create(_certFile, _keyFile, certPem, keyPem);
            }
            catch (CertificateLoadException e)
            {
                Reject(e.Message, certPem, keyPem);
                return false;
            }
            _certPem = certPem;
            _keyPem = keyPem;
            _rejectedCertPem = _rejectedKeyPem = null;
            // The previous certificate is not disposed: a handshake in progress may still be using it.
            _serverOptions = certificate.Options;
            _current = certificate.Leaf;
            _log.LogInformation("serving certificate reloaded from {CertFile}: subject {Subject}, valid until {NotAfter:o}, {Intermediates} intermediate(s)",
                _certFile, certificate.Leaf.Subject, certificate.Leaf.NotAfter.ToUniversalTime(), certificate.Intermediates);
            return true;
        }
    }

    private void Reject(string reason, byte[] certPem, byte[] keyPem)
    {
        if (_rejectedCertPem is not null && certPem.AsSpan().SequenceEqual(_rejectedCertPem) && keyPem.AsSpan().SequenceEqual(_rejectedKeyPem)) return;
        _rejectedCertPem = certPem;
        _rejectedKeyPem = keyPem;
        _log.LogWarning("keeping the current serving certificate: {Reason}", reason);
    }

    private static (byte[] Cert, byte[] Key) Read(string certFile, string keyFile)
    {
        try
        {
            return (File.ReadAllBytes(certFile), File.ReadAllBytes(keyFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateLoadException($"cannot read {certFile} / {keyFile}: {e.Message}", e);
        }
    }

    private sealed record LoadedCertificate(X509Certificate2 Leaf, int Intermediates, SslServerAuthenticationOptions Options);

    private static LoadedCertificate Create(string certFile, string keyFile, byte[] certPem, byte[] keyPem)
    {
        try
        {
            var certText = System.Text.Encoding.ASCII.GetString(certPem);
            // CreateFromPem pairs the key with the FIRST certificate of the file: the leaf, by convention.
            var leaf = X509Certificate2.CreateFromPem(certText, System.Text.Encoding.ASCII.GetString(keyPem));
            if (!leaf.HasPrivateKey) throw new CertificateLoadException($"{keyFile} holds no private key for {certFile}");
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certText);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < all.Count; i++) intermediates.Add(all[i]);
            // offline: build the chain from what the file holds; the process has no CA store (FROM scratch) and must
            // not go to the network for AIA fetching during a handshake.
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            };
            return new LoadedCertificate(leaf, intermediates.Count, options);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CertificateLoadException($"{certFile} / {keyFile} are not a PEM certificate and its matching private key: {e.Message}", e);
        }
    }

    public void Dispose() => _timer?.Dispose();
}

/// <summary>The certificate or key file could not be read or do not form a pair.</summary>
public sealed class CertificateLoadException(string message, Exception? inner = null) : Exception(message, inner);
