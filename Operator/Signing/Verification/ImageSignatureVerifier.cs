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
    // What a warm request needs to find its cached outcome without parsing or building strings, per image as written
    // (looked up by span); only ever a shortcut to _tags and _results, which stay the truth (see TryGetCached).
    private readonly ConcurrentDictionary<string, WarmImage> _warm = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WarmImage>.AlternateLookup<ReadOnlySpan<char>> _warmBySpan;

    public ImageSignatureVerifier(ImageSignatureVerifierOptions options, VerificationMetrics metrics, ILogger? log = null, TimeProvider? time = null)
    {
        _options = options;
        _metrics = metrics;
        _log = log ?? NullLogger.Instance;
        time ??= TimeProvider.System;
        _results = new(options.CacheTtl, options.MaxCacheEntries, time);
        _tags = new(options.CacheTtl, options.MaxCacheEntries, time);
        _warmBySpan = _warm.GetAlternateLookup<ReadOnlySpan<char>>();
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
            return Remember(image, name, digest, key, cached, cached with { Image = image });
        }
        _metrics.CacheMiss();
        var flight = _inFlight.GetOrAdd(key, _ => new Lazy<Task<ImageSignatureOutcome>>(() => VerifyDigestAsync(client, name.WithDigest(digest), condition, keys, key)));
        try
        {
            var outcome = await flight.Value.WaitAsync(cancellation).ConfigureAwait(false);
            _metrics.RegistryLatency(name.Registry, Stopwatch.GetElapsedTime(started));
            var result = outcome with { Image = image };
            return _results.TryGet(key, out var stored) && ReferenceEquals(stored, outcome) ? Remember(image, name, digest, key, outcome, result) : result;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Failed(image, digest, name.Registry, new OperationCanceledException());
        }
    }

    /// <summary>The outcome <see cref="VerifyAsync"/> would return for <paramref name="image"/> (UTF-8, as written) under
    /// <paramref name="keys"/>, without waiting or allocating, when it would come from the caches: the tag's digest
    /// (unless pinned) and the verification result are cached and fresh, and an earlier request for this image made
    /// the same result object. False on anything else; the caller then runs <see cref="VerifyAsync"/>. Counts nothing:
    /// the caller counts the hits (<see cref="CountCacheHits"/>) once it knows the whole request is cached.</summary>
    public bool TryGetCached(ReadOnlySpan<byte> image, VerificationKeySet keys, out ImageSignatureOutcome outcome)
    {
        outcome = null!;
        // 512: our choice, above any real image reference (distribution caps the name at 255, the tag at 128, plus a digest).
        Span<char> chars = stackalloc char[512];
        if (image.Length > chars.Length || System.Text.Unicode.Utf8.ToUtf16(image, chars, out _, out var written) != System.Buffers.OperationStatus.Done)
            return false;
        if (!_warmBySpan.TryGetValue(chars[..written], out var warm) || !warm.ByKeySet.TryGetValue(keys.Id, out var last)) return false;
        var digest = warm.Name.Digest ?? (_tags.TryGet(warm.Tag, out var known) ? known : default(OciDigest?));
        if (digest != last.Digest || !_results.TryGet(last.Key, out var cached) || !ReferenceEquals(cached, last.Cached)) return false;
        outcome = last.Result;
        return true;
    }

    /// <summary>Counts <paramref name="hits"/> outcomes served by <see cref="TryGetCached"/> as cache hits, as
    /// <see cref="VerifyAsync"/> counts each one it serves from the cache.</summary>
    public void CountCacheHits(int hits) => _metrics.CacheHit(hits);

    private ImageSignatureOutcome Remember(string image, ImageName name, OciDigest digest, (string, string) key, ImageSignatureOutcome cached,
        ImageSignatureOutcome result)
    {
        if (!_warm.TryGetValue(image, out var warm))
        {
            // Bounded like the caches it shortcuts; when full, new images just take the slower path.
            if (_warm.Count >= _options.MaxCacheEntries) return result;
            warm = _warm.GetOrAdd(image, _ => new WarmImage(name, name.ToString()));
        }
        // Key sets change only with attestor keys; a handful per image, dropped all at once if a rotation storm piles up.
        if (warm.ByKeySet.Count >= MaxKeySetsPerImage) warm.ByKeySet.Clear();
        warm.ByKeySet[key.Item2] = new WarmResult(digest, key, cached, result);
        return result;
    }

    // 16: our choice, far more key sets than policies put on one image.
    private const int MaxKeySetsPerImage = 16;

    private sealed record WarmImage(ImageName Name, string Tag)
    {
        public ConcurrentDictionary<string, WarmResult> ByKeySet { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The last result served for one image and key set: the digest it was for, its cache key, the cached
    /// object, and the copy naming the image as written.</summary>
    private sealed record WarmResult(OciDigest Digest, (string Digest, string KeySet) Key, ImageSignatureOutcome Cached, ImageSignatureOutcome Result);

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
