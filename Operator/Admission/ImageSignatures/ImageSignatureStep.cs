using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>The asynchronous part of admission for imageSignature rules, run before the synchronous evaluation:
/// <see cref="Collect"/> reads (synchronously, from the body span) which images the request's imageSignature
/// conditions target; <see cref="VerifyAsync"/> verifies them in parallel within <see cref="Budget"/>; the outcomes
/// are then published to the evaluation with <see cref="ImageSignatureOutcomes.Enter"/>. A snapshot without any
/// imageSignature condition costs one cached lookup per request.</summary>
public sealed class ImageSignatureStep(AdmissionPolicySource policies, ImageSignatureVerifier verifier, TimeSpan budget,
    PullSecretCredentials? pullSecrets = null, ILogger? log = null)
{
    // Whether a snapshot holds any imageSignature condition, computed once per snapshot.
    private readonly ConditionalWeakTable<AdmissionPolicySnapshot, StrongBox<bool>> _hasSignatures = new();
    private readonly Utf8StringCache _strings = new();

    /// <summary>The whole verification's time budget. The webhook answers within its own 4 s request deadline, so
    /// the default (3 s, see WebhookRole) leaves a second for the evaluation and the answer.</summary>
    public TimeSpan Budget => budget;

    /// <summary>The targets of this request, or null when no imageSignature condition applies (the common case).</summary>
    public ImageSignatureRequest? Collect(ReadOnlySpan<byte> body)
    {
        if (policies.Current is not { } snapshot || !HasSignatureConditions(snapshot)) return null;
        if (!AdmissionReviewReader.TryRead(body, _strings, out var review, out _) || !review.Object.IsPresent) return null;
        if (snapshot.IsExcluded(review.Namespace) || review.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update)) return null;
        var conditions = ConditionsOf(snapshot.Select(review.Namespace));
        if (conditions.Count == 0) return null;

        var obj = review.Object.Of(body);
        if (PodTemplateLocator.TryLocate(obj, null, EvaluationLimits.Default, out var location, out _) != LocateStatus.Found) return null;
        var facts = new PodFacts();
        // Unreadable objects are the evaluator's to report; nothing to verify here.
        if (!PodFactReader.TryRead(obj.Slice(location.Start, location.Length), facts, EvaluationLimits.Default, out _)) return null;
        var targets = new List<ImageSignatureTarget>();
        foreach (var container in facts.Containers.AsSpan())
        {
            var image = facts.Text(container.Image);
            foreach (var condition in conditions)
                if (condition.Targets(image)) targets.Add(new ImageSignatureTarget(condition, facts.String(container.Image)));
        }
        return targets.Count == 0 ? null
            : new ImageSignatureRequest(targets, review.Namespace, facts.String(facts.ServiceAccountName),
                pullSecrets is null ? [] : PullSecretNames(obj.Slice(location.Start, location.Length)));
    }

    /// <summary>spec.imagePullSecrets[].name of the pod (template); only read when credentials are looked up.</summary>
    private static List<string> PullSecretNames(ReadOnlySpan<byte> template)
    {
        var names = new List<string>();
        var reader = new System.Text.Json.Utf8JsonReader(template);
        using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
        if (document.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("imagePullSecrets", out var list)
            && list.ValueKind == System.Text.Json.JsonValueKind.Array)
            foreach (var item in list.EnumerateArray())
                if (item.ValueKind == System.Text.Json.JsonValueKind.Object && item.TryGetProperty("name", out var name)
                    && name.ValueKind == System.Text.Json.JsonValueKind.String && name.GetString() is { Length: > 0 } n)
                    names.Add(n);
        return names;
    }

    /// <summary>Verifies every target (distinct (condition, image) pairs once) in parallel; what is not done within
    /// the budget is an outcome with an error, so the condition denies with that reason.</summary>
    public async Task<ImageSignatureOutcomes> VerifyAsync(ImageSignatureRequest request, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(budget);
        var credentials = await CredentialsAsync(request, deadline.Token).ConfigureAwait(false);
        var distinct = request.Targets.Distinct().ToList();
        var outcomes = await Task.WhenAll(distinct.Select(t => verifier.VerifyAsync(t.Image, t.Condition, deadline.Token, credentials)))
            .ConfigureAwait(false);
        var result = new ImageSignatureOutcomes();
        for (var i = 0; i < distinct.Count; i++) result.Add(distinct[i].Condition, distinct[i].Image, outcomes[i]);
        return result;
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

    private static List<ImageSignatureCondition> ConditionsOf(CompiledPolicySet set) => ConditionsOf(set.Policies);

    private static List<ImageSignatureCondition> ConditionsOf(IEnumerable<CompiledPolicy> policies) =>
        policies.SelectMany(p => p.Rules).SelectMany(r => r.Conditions).OfType<ImageSignatureCondition>().ToList();
}
