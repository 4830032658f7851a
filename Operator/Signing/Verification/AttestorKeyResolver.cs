using System.Collections.Concurrent;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Access;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Signing.Verification;

/// <summary>The key set of an imageSignature condition at admission time: inline keys as compiled, keys of
/// <c>secretRef</c> attestors read from their Secrets through the API. What a Secret held (a key, or a definite problem:
/// no such Secret, no such data key, not a usable PEM key) is cached per (namespace, name, key) for
/// <see cref="Ttl"/>, so a rotated or fixed Secret takes effect at most that late; a failed read (API unreachable,
/// forbidden, timeout) is not cached. Concurrent requests for one Secret share one read. Without an API client
/// (<c>--kubeconfig none</c>) every secretRef is an error that says so.</summary>
public sealed class AttestorKeyResolver(KubeClient? client, TimeSpan? ttl = null, int capacity = AttestorKeyResolver.DefaultCapacity,
    TimeProvider? time = null)
{
    /// <summary>1 min: our choice; the order of the kubelet's own Secret volume refresh (its sync period is 1 min), and
    /// short enough that a rotated key is used soon, long enough that admission does not read a Secret per pod.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(1);

    /// <summary>Secrets kept at most. 1,000: our choice, far more than a cluster's attestor keys, a few hundred KB.</summary>
    public const int DefaultCapacity = 1_000;

    /// <summary>A Secret read's own limit (other requests may be waiting on it): the webhook's 3 s verification budget.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The API calls this makes (for the webhook's ApiAccess list and RBAC): get secrets.</summary>
    public static readonly IReadOnlyList<ApiAccess> Calls = [new("", "secrets", "get")];

    private readonly TtlCache<AttestorSecretRef, KeyEntry> _keys = new(ttl ?? DefaultTtl, capacity, time ?? TimeProvider.System);
    private readonly ConcurrentDictionary<AttestorSecretRef, Lazy<Task<KeyEntry>>> _reading = new();
    // The key set last built for a condition with secretRef attestors, from these very keys: a warm request reuses it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ImageSignatureCondition, BuiltKeySet> _built = new();

    public TimeSpan Ttl { get; } = ttl ?? DefaultTtl;

    internal int CachedSecrets => _keys.Count;

    /// <summary>The keys of every attestor of <paramref name="condition"/>, in attestor order; throws
    /// <see cref="AttestorKeyException"/> naming the attestor, the Secret and the data key when one cannot be had.</summary>
    public async Task<VerificationKeySet> ResolveAsync(ImageSignatureCondition condition, CancellationToken cancellation)
    {
        if (condition.InlineKeySet is { } inline) return inline;
        var keys = new VerificationKey[condition.Attestors.Count];
        var reads = condition.Attestors.Select(a => a.SecretRef is null ? Task.FromResult(new KeyEntry(a.Key, null)) : ReadAsync(a.SecretRef, cancellation)).ToArray();
        await Task.WhenAll(reads).ConfigureAwait(false);
        for (var i = 0; i < keys.Length; i++)
        {
            var attestor = condition.Attestors[i];
            var entry = reads[i].Result;
            keys[i] = entry.Key ?? throw new AttestorKeyException($"attestor {attestor.Name}: {entry.Problem}");
            for (var j = 0; j < i; j++)
                if (keys[j].Fingerprint == keys[i].Fingerprint)
                    throw new AttestorKeyException($"attestors {condition.Attestors[j].Name} and {attestor.Name} have the same key " +
                                                   $"({keys[i]}); it would count twice toward required");
        }
        var set = new VerificationKeySet(keys);
        _built.AddOrUpdate(condition, new BuiltKeySet(keys, set));
        return set;
    }

    /// <summary>The key set of <paramref name="condition"/> without waiting and without allocating, when every key is
    /// inline or its Secret's key is cached and fresh and the set was built from those same keys before; false
    /// otherwise (a Secret to read, a problem to report, a rotated key: <see cref="ResolveAsync"/> decides).</summary>
    public bool TryResolveCached(ImageSignatureCondition condition, out VerificationKeySet keys)
    {
        if (condition.InlineKeySet is { } inline)
        {
            keys = inline;
            return true;
        }
        keys = null!;
        if (client is null || !_built.TryGetValue(condition, out var built)) return false;
        var attestors = condition.Attestors;
        if (built.Keys.Length != attestors.Count) return false;
        for (var i = 0; i < attestors.Count; i++)
        {
            var attestor = attestors[i];
            var key = attestor.SecretRef is null ? attestor.Key : _keys.TryGet(attestor.SecretRef, out var entry) ? entry.Key : null;
            if (!ReferenceEquals(key, built.Keys[i])) return false;
        }
        keys = built.Set;
        return true;
    }

    private async Task<KeyEntry> ReadAsync(AttestorSecretRef reference, CancellationToken cancellation)
    {
        if (client is null)
            return new KeyEntry(null, $"{reference} cannot be read: the webhook runs without an API server (--kubeconfig none); " +
                                      "give the key inline (publicKey) in standalone mode");
        if (_keys.TryGet(reference, out var cached)) return cached;
        var flight = _reading.GetOrAdd(reference, r => new Lazy<Task<KeyEntry>>(() => ReadSecretAsync(r)));
        return await flight.Value.WaitAsync(cancellation).ConfigureAwait(false);
    }

    private async Task<KeyEntry> ReadSecretAsync(AttestorSecretRef reference)
    {
        try
        {
            // A read that finished between this caller's cache miss and its joining has already cached the answer.
            if (_keys.TryGet(reference, out var done)) return done;
            using var timeout = new CancellationTokenSource(ReadTimeout);
            Secret secret;
            try
            {
                secret = await client!.GetAsync(KubeResource.Secrets, reference.Namespace, reference.Name, KubeJsonContext.Default.Secret,
                    cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                return Cache(reference, new KeyEntry(null, $"{reference}: the Secret does not exist"));
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
            {
                var why = e is OperationCanceledException ? $"no answer within {ReadTimeout.TotalSeconds:0} s" : e.Message;
                return new KeyEntry(null, $"{reference}: reading it through the API failed: {why}");
            }
            if (secret.Data?.GetValueOrDefault(reference.Key) is not { Length: > 0 } pem)
                return Cache(reference, new KeyEntry(null, $"{reference}: the Secret has no data key {reference.Key}"));
            try
            {
                return Cache(reference, new KeyEntry(SigningKeys.LoadPublicKey(System.Text.Encoding.UTF8.GetString(pem), reference.ToString()), null));
            }
            catch (SigningKeyException e)
            {
                return Cache(reference, new KeyEntry(null, e.Message));
            }
        }
        finally
        {
            _reading.TryRemove(reference, out _);
        }
    }

    // Keys replaced in or evicted from the cache are not disposed: a verification may still be using them; the
    // finalizer of the key's handle releases it.
    private KeyEntry Cache(AttestorSecretRef reference, KeyEntry entry)
    {
        _keys.Set(reference, entry);
        return entry;
    }

    private sealed record KeyEntry(VerificationKey? Key, string? Problem);

    private sealed record BuiltKeySet(VerificationKey[] Keys, VerificationKeySet Set);
}

/// <summary>An attestor key that could not be had at admission time; the message names the attestor, the Secret and
/// the data key. It denies under both failurePolicy values: failurePolicy is about registries that do not answer, and
/// a verification without the policy's keys would not be the verification the policy asks for.</summary>
public sealed class AttestorKeyException(string message) : Exception(message);
