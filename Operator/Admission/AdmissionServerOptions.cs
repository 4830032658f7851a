using System.Net;

namespace SecurityOperator.Admission;

/// <summary>Listener and limits of the admission server.</summary>
public sealed record AdmissionServerOptions(IPEndPoint Listen)
{
    /// <summary>The API server refuses request bodies over 3 MiB (k8s.io/apiserver, server.Config MaxRequestBodyBytes =
    /// 3 * 1024 * 1024) and etcd stores objects of at most 1.5 MiB, so a review's object and oldObject fit in this.</summary>
    public const int DefaultMaxRequestBodyBytes = 3 * 1024 * 1024;

    public int MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>The whole body must arrive within this: below the 5 s timeoutSeconds of the webhook configurations this
    /// operator installs (the API server's default is 10 s), so an answer never arrives after the caller gave up.</summary>
    public TimeSpan RequestDeadline { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Each API server instance keeps a pool of keep-alive connections per webhook; a few API servers need tens.
    /// 512 bounds memory under a connection flood while leaving wide room.</summary>
    public int MaxConcurrentConnections { get; init; } = 512;

    /// <summary>Longer than the API server's idle-connection timeout (90 s, IdleConnTimeout of its webhook transport), so
    /// the server never closes a connection the client is about to reuse (a POST on a closed connection fails the call).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Headers of a review are a few hundred bytes sent at once; 10 s is generous and stops idle sockets.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Kestrel's default TLS handshake limit (HttpsConnectionAdapterOptions.DefaultHandshakeTimeout, 10 s):
    /// a connection that has not finished its handshake by then is closed, so slow or idle TLS clients cannot hold
    /// connection slots.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Verifies the images of imageSignature rules before evaluation; null: no registry access.</summary>
    public ImageSignatures.ImageSignatureStep? ImageSignatures { get; init; }
}
