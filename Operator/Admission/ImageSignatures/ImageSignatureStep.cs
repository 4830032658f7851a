using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Signing;
using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>Admission for imageSignature rules. A request is first decided synchronously with outcomes that resolve
/// from the verification caches as the evaluation asks for them (<see cref="BeginWarm"/>, <see cref="EndWarm"/>): a warm
/// request costs a hash lookup per targeted image and no second pass over the pod. When a lookup misses, that decision
/// is dropped: <see cref="Collect"/> reads (synchronously, from the body span) which images the request's
/// imageSignature conditions target; <see cref="VerifyAsync"/> verifies them in parallel within <see cref="Budget"/>; the
/// outcomes are then published to a second evaluation with <see cref="ImageSignatureOutcomes.Enter"/>. A snapshot without any
/// imageSignature condition costs one cached lookup per request. Attestor keys kept in Secrets are resolved per
/// request through <paramref name="keys"/> (cached there); without it, such keys cannot be had and deny with a reason.</summary>
public sealed class ImageSignatureStep(AdmissionPolicySource policies, ImageSignatureVerifier verifier, TimeSpan budget,
    PullSecretCredentials? pullSecrets = null, ILogger? log = null, AttestorKeyResolver? keys = null) : ICachedImageSignatures
{
    private readonly AttestorKeyResolver _keys = keys ?? new AttestorKeyResolver(null);

    // Whether a snapshot holds any imageSignature condition, computed once per snapshot.
    private readonly ConditionalWeakTable<AdmissionPolicySnapshot, StrongBox<bool>> _hasSignatures = new();
    private readonly Utf8StringCache _strings = new();
    // Collect runs synchronously: one fact buffer per thread, reused (Reset by the reader), as the evaluator does.
    [ThreadStatic] private static PodFacts? _facts;
    // The outcomes of the synchronous first attempt (BeginWarm), reused per thread like the fact buffer (a thread
    // decides one request at a time; BeginWarm points it at the step that uses it).
    [ThreadStatic] private static ImageSignatureOutcomes? _warm;
    // The imageSignature conditions of each selected policy set (Select caches the sets per namespace).
    private readonly ConditionalWeakTable<CompiledPolicySet, ImageSignatureCondition[]> _conditions = new();

    /// <summary>The whole verification's time budget. The webhook answers within its own 4 s request deadline, so
    /// the default (3 s, see WebhookRole) leaves a second for the evaluation and the answer.</summary>
    public TimeSpan Budget => budget;

    /// <summary>The targets of this request, or null when no imageSignature condition applies (the common case).</summary>
    public ImageSignatureRequest? Collect(ReadOnlySpan<byte> body)
    {
        if (!TryReadPod(body, out var conditions, out var facts, out var ns)) return null;
        var targets = new List<ImageSignatureTarget>();
        foreach (var container in facts.Containers.AsSpan())
        {
            var image = facts.Text(container.Image);
            foreach (var condition in conditions)
                if (condition.Targets(image)) targets.Add(new ImageSignatureTarget(condition, facts.String(container.Image)));
        }
        if (targets.Count == 0) return null;
        // Pull secret names come from the same pass over the pod as its images (PodFacts.PullSecretNames).
        var names = new List<string>();
        if (pullSecrets is not null)
            foreach (var name in facts.PullSecretNames.AsSpan()) names.Add(facts.String(name));
        return new ImageSignatureRequest(targets, ns, facts.String(facts.ServiceAccountName), names);
    }

    /// <summary>The outcomes to publish for the synchronous first attempt at a request: per-thread, empty, resolving
    /// from the caches (<see cref="ICachedImageSignatures"/>) as the evaluation asks, so a warm request is decided in
    /// the evaluator's single pass over the pod with one hash lookup per targeted image. Null when no imageSignature
    /// condition is loaded (nothing to resolve). Publish and use them synchronously, then call <see cref="EndWarm"/>.</summary>
    public ImageSignatureOutcomes? BeginWarm()
    {
        if (policies.Current is not { } snapshot || !HasSignatureConditions(snapshot)) return null;
        var warm = _warm ??= new ImageSignatureOutcomes();
        warm.Clear();
        warm.Cache = this;
        return warm;
    }

    /// <summary>After the first attempt: true when its decision stands (every outcome it needed was cached; those are
    /// counted as cache hits), false when a lookup missed: then <see cref="Collect"/> and <see cref="VerifyAsync"/>
    /// run and the request is decided again with their outcomes (which count their own hits).</summary>
    public bool EndWarm(ImageSignatureOutcomes? warm)
    {
        if (warm is null) return true;
        if (warm.Missed) return false;
        if (warm.Count > 0) verifier.CountCacheHits(warm.Count);
        return true;
    }

    bool ICachedImageSignatures.TryGet(ImageSignatureCondition condition, ReadOnlySpan<byte> image, out ImageSignatureOutcome outcome)
    {
        outcome = null!;
        return _keys.TryResolveCached(condition, out var keys) && verifier.TryGetCached(image, keys, out outcome);
    }

    private ImageSignatureCondition[] ConditionsFor(AdmissionPolicySnapshot snapshot, string? ns) =>
        _conditions.GetValue(snapshot.Select(ns), static set => ConditionsOf(set.Policies).ToArray());

    /// <summary>Reads the pod of an admission request the snapshot's imageSignature conditions may apply to, into this
    /// thread's fact buffer; false when none can (no such condition, excluded namespace, other operation, not a pod).</summary>
    private bool TryReadPod(ReadOnlySpan<byte> body, out ImageSignatureCondition[] conditions, out PodFacts facts, out string? ns)
    {
        conditions = [];
        facts = null!;
        ns = null;
        if (policies.Current is not { } snapshot || !HasSignatureConditions(snapshot)) return false;
        if (!AdmissionReviewReader.TryRead(body, _strings, out var review, out _) || !review.Object.IsPresent) return false;
        if (snapshot.IsExcluded(review.Namespace) || review.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update)) return false;
        conditions = ConditionsFor(snapshot, review.Namespace);
        if (conditions.Length == 0) return false;

        var obj = review.Object.Of(body);
        facts = _facts ??= new PodFacts();
        ns = review.Namespace;
        // Unreadable objects are the evaluator's to report; nothing to verify here.
        return PodTemplateLocator.TryLocateAndRead(obj, null, EvaluationLimits.Default, facts, out _, out _) == LocateStatus.Found;
    }

    /// <summary>Verifies every target (distinct (condition, image) pairs once) in parallel; what is not done within
    /// the budget is an outcome with an error, so the condition denies with that reason.</summary>
    public async Task<ImageSignatureOutcomes> VerifyAsync(ImageSignatureRequest request, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(budget);
        var credentials = await CredentialsAsync(request, deadline.Token).ConfigureAwait(false);
        var distinct = request.Targets.Distinct().ToList();
        var keySets = request.Targets.Select(t => t.Condition).Distinct().ToDictionary(c => c, c => KeySetAsync(c, deadline.Token));
        var outcomes = await Task.WhenAll(distinct.Select(t => VerifyAsync(t, keySets[t.Condition], credentials, deadline.Token)))
            .ConfigureAwait(false);
        var result = new ImageSignatureOutcomes();
        for (var i = 0; i < distinct.Count; i++) result.Add(distinct[i].Condition, distinct[i].Image, outcomes[i]);
        return result;
    }

    private async Task<ImageSignatureOutcome> VerifyAsync(ImageSignatureTarget target, Task<(VerificationKeySet? Keys, string? Error)> keySet,
        Registry.IRegistryCredentialSource? credentials, CancellationToken deadline)
    {
        var (keys, error) = await keySet.ConfigureAwait(false);
        // A key that cannot be had is never a registry outage: Unavailable stays null, so it denies under failurePolicy ignore too.
        return keys is null ? new ImageSignatureOutcome(target.Image, null, 0, null, error)
            : await verifier.VerifyAsync(target.Image, target.Condition, keys, deadline, credentials).ConfigureAwait(false);
    }

    private async Task<(VerificationKeySet? Keys, string? Error)> KeySetAsync(ImageSignatureCondition condition, CancellationToken deadline)
    {
        try
        {
            return (await _keys.ResolveAsync(condition, deadline).ConfigureAwait(false), null);
        }
        catch (AttestorKeyException e)
        {
            log?.LogWarning("attestor key of an imageSignature rule: {Reason}", e.Message);
            return (null, e.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var secrets = string.Join(", ", condition.SecretRefs.Select(a => a.SecretRef));
            return (null, $"the attestor key(s) in {secrets} could not be read within the webhook's time budget");
        }
    }

    /// <summary>The pod's pull credentials; when they cannot be read, anonymous access (the registry then says
    /// whether that is enough, and its refusal becomes the denial reason).</summary>
    private async Task<Registry.IRegistryCredentialSource?> CredentialsAsync(ImageSignatureRequest request, CancellationToken deadline)
    {
        if (pullSecrets is null || string.IsNullOrEmpty(request.Namespace)) return null;
        try
        {
            return await pullSecrets.ResolveAsync(request.Namespace, request.ServiceAccount, request.PullSecrets, deadline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Kube.Client.KubeApiException or HttpRequestException or FormatException
                                      || (e is OperationCanceledException && deadline.IsCancellationRequested))
        {
            log?.LogWarning("reading the pull secrets of namespace {Namespace} failed, verifying anonymously: {Reason}", request.Namespace, e.Message);
            return null;
        }
    }

    private bool HasSignatureConditions(AdmissionPolicySnapshot snapshot) =>
        _hasSignatures.GetValue(snapshot, s => new StrongBox<bool>(ConditionsOf(s.Policies).Count > 0)).Value;

    private static List<ImageSignatureCondition> ConditionsOf(IEnumerable<CompiledPolicy> policies) =>
        policies.SelectMany(p => p.Rules).SelectMany(r => r.Conditions).OfType<ImageSignatureCondition>().ToList();
}
