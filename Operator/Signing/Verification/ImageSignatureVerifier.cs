using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Verification;

/// <summary>Verifies images for imageSignature conditions at admission time: resolves a tag to its digest (HEAD with
/// the manifest and index media types; for an index the digest is the index's, as cosign signs it), verifies the cosign
/// signatures of that digest against the condition's keys, and caches the outcome per (digest, key set) for
/// <see cref="ImageSignatureVerifierOptions.CacheTtl"/>. Concurrent requests for the same digest and key set share one
/// registry round (single flight). Registry errors are outcomes with an error, never exceptions, and are not cached.</summary>
public sealed class ImageSignatureVerifier : IDisposable
{
    private readonly ImageSignatureVerifierOptions _options;
    private readonly VerificationMetrics _metrics;
    private readonly ILogger _log;
    private readonly TtlCache<(string Digest, string KeySet), ImageSignatureOutcome> _results;
    private readonly TtlCache<string, OciDigest> _tags;
    private readonly ConcurrentDictionary<(string, string), Lazy<Task<ImageSignatureOutcome>>> _inFlight = new();
    // One client per (registry, credentials): pull secrets differ per namespace, and a client holds one credential.
    private readonly ConcurrentDictionary<(string Registry, RegistryCredentials? Credentials), RegistryClient> _clients = new();
    // What a warm request needs to find its outcome by one lookup of the image's bytes as written, without parsing or
    // building strings; only ever a copy of what _tags and _results answer (see Remember and TryGetCached).
    private readonly WarmImageTable _warm;

    public ImageSignatureVerifier(ImageSignatureVerifierOptions options, VerificationMetrics metrics, ILogger? log = null, TimeProvider? time = null)
    {
        _options = options;
        _metrics = metrics;
        _log = log ?? NullLogger.Instance;
        time ??= TimeProvider.System;
        _results = new(options.CacheTtl, options.MaxCacheEntries, time);
        _tags = new(options.CacheTtl, options.MaxCacheEntries, time);
        _warm = new WarmImageTable(options.MaxCacheEntries);
    }

    internal int CachedResults => _results.Count;

    /// <summary>The outcome for <paramref name="image"/> (as written in a pod) under <paramref name="condition"/> with
    /// its keys as they are now (<paramref name="keys"/>, see <see cref="AttestorKeyResolver"/>). <paramref name="cancellation"/> carries the caller's total budget (the webhook deadline);
    /// <paramref name="credentials"/> (the pod's pull secrets) win over the verifier's own.</summary>
    public async Task<ImageSignatureOutcome> VerifyAsync(string image, ImageSignatureCondition condition, VerificationKeySet keys,
        CancellationToken cancellation, IRegistryCredentialSource? credentials = null)
    {
        if (!ImageName.TryParse(image, out var name, out var problem))
        {
            _metrics.Result("invalid");
            return new ImageSignatureOutcome(image, null, 0, null, $"invalid image reference: {problem}");
        }
        var client = ClientFor(name.Registry, credentials?.Find(name.Registry) ?? _options.Credentials.Find(name.Registry));
        var started = Stopwatch.GetTimestamp();
        OciDigest digest;
        try
        {
            digest = await ResolveAsync(client, name, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RegistryException or DigestMismatchException || (e is OperationCanceledException && cancellation.IsCancellationRequested))
        {
            return Failed(image, null, name.Registry, e);
        }
        var key = (digest.ToString(), keys.Id);
        if (_results.TryGet(key, out var cached))
        {
            _metrics.CacheHit();
            return Remember(image, name, digest, key, keys, cached, cached with { Image = image });
        }
        _metrics.CacheMiss();
        var flight = _inFlight.GetOrAdd(key, _ => new Lazy<Task<ImageSignatureOutcome>>(() => VerifyDigestAsync(client, name.WithDigest(digest), condition, keys, key)));
        try
        {
            var outcome = await flight.Value.WaitAsync(cancellation).ConfigureAwait(false);
            _metrics.RegistryLatency(name.Registry, Stopwatch.GetElapsedTime(started));
            var result = outcome with { Image = image };
            return Remember(image, name, digest, key, keys, outcome, result);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Failed(image, digest, name.Registry, new OperationCanceledException());
        }
    }

    /// <summary>The outcome <see cref="VerifyAsync"/> would return for <paramref name="image"/> (UTF-8, as written) under
    /// <paramref name="keys"/>, without waiting or allocating, when it would come from the caches: an earlier request
    /// for this image and key set was served from them, and neither the tag's resolution (unless pinned) nor the
    /// verification result has expired or changed since. False on anything else; the caller then runs
    /// <see cref="VerifyAsync"/>. Counts nothing: the caller counts the hits (<see cref="CountCacheHits"/>) once it
    /// knows the whole request is cached.</summary>
    public bool TryGetCached(ReadOnlySpan<byte> image, VerificationKeySet keys, out ImageSignatureOutcome outcome)
    {
        outcome = null!;
        if (!_warm.TryGet(image, keys, _results.Now, CacheVersion, out var warm)) return false;
        outcome = warm.Outcome;
        return true;
    }

    /// <summary>Counts <paramref name="hits"/> outcomes served by <see cref="TryGetCached"/> as cache hits, as
    /// <see cref="VerifyAsync"/> counts each one it serves from the cache.</summary>
    public void CountCacheHits(int hits) => _metrics.CacheHit(hits);

    internal int WarmImages => _warm.Count;

    // Both caches' versions in one number: it changes whenever either loses or replaces a live entry.
    private long CacheVersion => _tags.Version + _results.Version;

    /// <summary>Keeps <paramref name="result"/> for warm requests of <paramref name="image"/>, while the cached
    /// verification it copies (<paramref name="cached"/> under <paramref name="key"/>) and the tag's resolution to
    /// <paramref name="digest"/> both stand: until the earlier of their expiries, as long as neither cache changes.</summary>
    private ImageSignatureOutcome Remember(string image, ImageName name, OciDigest digest, (string, string) key, VerificationKeySet keys,
        ImageSignatureOutcome cached, ImageSignatureOutcome result)
    {
        // The version first: a change between here and the reads below makes the copy outdated, never wrongly current.
        var version = CacheVersion;
        if (!_results.TryGet(key, out var stored, out var expires) || !ReferenceEquals(stored, cached)) return result;
        if (name.Digest is null)
        {
            if (!_tags.TryGet(name.ToString(), out var resolved, out var tagExpires) || resolved != digest) return result;
            expires = Math.Min(expires, tagExpires);
        }
        _warm.Set(System.Text.Encoding.UTF8.GetBytes(image), new WarmResult(keys, result, expires, version), _results.Now, version);
        return result;
    }

    /// <summary>One registry round for a digest; its own deadline is the per-request timeouts, not one caller's
    /// budget, because other callers may be waiting on it too.</summary>
    private async Task<ImageSignatureOutcome> VerifyDigestAsync(RegistryClient client, ImageName image, ImageSignatureCondition condition,
        VerificationKeySet keys, (string, string) key)
    {
        try
        {
            // A flight that finished between this caller's cache miss and its joining has already cached the answer.
            if (_results.TryGet(key, out var done)) return done;
            var result = await new CosignVerifier(client).VerifyAsync(image, keys.Keys).ConfigureAwait(false);
            var valid = result.VerifyingKeys.Count;
            var outcome = new ImageSignatureOutcome(image.ToString(), image.Digest, valid,
                valid >= condition.Required ? null : result.Explain(), null);
            _metrics.Result(valid >= condition.Required ? "verified" : result.Checks.Count == 0 ? "unsigned" : "invalid");
            _results.Set(key, outcome);
            return outcome;
        }
        catch (Exception e) when (e is RegistryException or DigestMismatchException)
        {
            return Failed(image.ToString(), image.Digest, image.Registry, e);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<OciDigest> ResolveAsync(RegistryClient client, ImageName name, CancellationToken cancellation)
    {
        if (name.Digest is { } pinned) return pinned;
        var tag = name.ToString();
        if (_tags.TryGet(tag, out var known)) return known;
        var head = await client.HeadManifestAsync(name, cancellation).ConfigureAwait(false)
                   ?? throw new RegistryException($"registry {name.Registry}: {name} does not exist", System.Net.HttpStatusCode.NotFound);
        _tags.Set(tag, head.Digest);
        return head.Digest;
    }

    private ImageSignatureOutcome Failed(string image, OciDigest? digest, string registry, Exception e)
    {
        var reason = e is OperationCanceledException ? $"registry {registry} did not answer within the webhook's time budget" : e.Message;
        _metrics.Result("error");
        _log.LogWarning("verifying image {Image}: {Reason}", image, reason);
        return new ImageSignatureOutcome(image, digest, 0, null, reason, UnavailableCause(e));
    }

    /// <summary>Why the registry could not be asked, short enough for a 120-character admission warning (the full
    /// reason is logged above), or null when it answered.</summary>
    private static string? UnavailableCause(Exception e) => e switch
    {
        OperationCanceledException => "registry timed out",
        RegistryException { IsUnavailable: false } => null,
        RegistryException { Status: { } status } => $"registry answered {(int)status}",
        RegistryException { InnerException: OperationCanceledException } => "registry timed out",
        RegistryException => "registry unreachable",
        _ => null,
    };

    private RegistryClient ClientFor(string registry, RegistryCredentials? credentials) =>
        _clients.GetOrAdd((registry, credentials), key => new RegistryClient(new RegistryClientOptions
        {
            InsecureLoopback = _options.InsecureLoopback,
            RequestTimeout = _options.RegistryTimeouts.TryGetValue(key.Registry, out var timeout) ? timeout : _options.RegistryTimeout,
            Credentials = new SingleRegistryCredentials(key.Registry, key.Credentials),
        }));

    private sealed class SingleRegistryCredentials(string registry, RegistryCredentials? credentials) : IRegistryCredentialSource
    {
        public RegistryCredentials? Find(string r) => r == registry ? credentials : null;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}
