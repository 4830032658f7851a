namespace SecurityOperator.Registry;

/// <summary>How a <see cref="RegistryClient"/> talks to registries.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Plain HTTP instead of TLS, allowed only for loopback registries (127.0.0.0/8, ::1, localhost): a test
    /// or a local registry; anything else is refused so a typo cannot send credentials in clear text.</summary>
    public bool InsecureLoopback { get; init; }

    /// <summary>Upper bound of one request, response body included. Default 10 s: our choice, well under the API
    /// server's 30 s webhook maximum, and a CLI user waits no longer than that per request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IRegistryCredentialSource Credentials { get; init; } = AnonymousCredentials.Instance;

    /// <summary>Largest manifest read: 4 MiB, distribution's own limit for manifest bodies.</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest blob read into memory (signature payloads, configs): 16 MiB, our choice; the client never
    /// downloads image layers into memory.</summary>
    public int MaxBlobBytes { get; init; } = 16 * 1024 * 1024;
}
