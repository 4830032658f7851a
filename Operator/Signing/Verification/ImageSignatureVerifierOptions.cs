namespace SecurityOperator.Signing.Verification;

/// <summary>Limits of the admission-time verifier.</summary>
public sealed class ImageSignatureVerifierOptions
{
    /// <summary>How long a verification result (and a tag's resolution to a digest) is reused. Default 5 min: our
    /// choice, the order of sigstore policy-controller's and Kyverno's image verification caches; a tag moved or a
    /// signature added is seen at most this late.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Entries kept at most (results and tag resolutions each). Default 10,000: our choice, a few MB.</summary>
    public int MaxCacheEntries { get; init; } = 10_000;

    /// <summary>Per registry request. Default 3 s: the API server's default webhook timeout is 10 s, and a pod may
    /// need a few sequential requests (tag HEAD, signature manifest, payload blob) inside the webhook's own deadline.</summary>
    public TimeSpan RegistryTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Registries that need another per-request timeout (host[:port] as in image names).</summary>
    public IReadOnlyDictionary<string, TimeSpan> RegistryTimeouts { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Plain HTTP for loopback registries (tests, a local mirror).</summary>
    public bool InsecureLoopback { get; init; }

    public Registry.IRegistryCredentialSource Credentials { get; init; } = Registry.AnonymousCredentials.Instance;
}
