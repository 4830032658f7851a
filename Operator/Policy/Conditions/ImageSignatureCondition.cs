using System.Text;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Signing;

namespace SecurityOperator.Policy.Conditions;

/// <summary>imageSignature: every container whose image matches one of <see cref="Images"/> (globs tried against the
/// image as written and normalized, as forbiddenImages does) must carry valid cosign signatures, for its exact manifest
/// digest, by at least <see cref="Required"/> of the attestors' keys. Registry work cannot happen on the synchronous
/// evaluation path: the admission step publishes outcomes in <see cref="ImageSignatureOutcomes.Current"/>, either
/// resolved from the verification caches as this condition asks for them (a warm request: one pass, no waiting) or
/// verified beforehand after such a lookup missed; this condition only reads them. Without outcomes (e.g. the offline audit
/// role) a targeted image counts as not verified: the condition fails closed.</summary>
public sealed class ImageSignatureCondition : Condition
{
    private readonly byte[][] _globs;

    // Violation.Item of a registry error that failurePolicy: ignore turns into a warning.
    private const int IgnoredRegistryError = 1;

    public ImageSignatureCondition(IReadOnlyList<string> images, IReadOnlyList<ImageSignatureAttestor> attestors, int required, bool mutateDigest,
        ImageSignatureFailurePolicy failurePolicy = ImageSignatureFailurePolicy.Fail)
        : base(ConditionKind.ImageSignature)
    {
        FailurePolicy = failurePolicy;
        Images = images;
        _globs = images.Select(g => Encoding.UTF8.GetBytes(g)).ToArray();
        Attestors = attestors;
        SecretRefs = attestors.Where(a => a.SecretRef is not null).ToArray();
        // Only inline keys are known at compile time; a condition with secretRef attestors gets its key set per request.
        InlineKeySet = SecretRefs.Count == 0 ? new VerificationKeySet(attestors.Select(a => a.Key!).ToArray()) : null;
        Required = required;
        MutateDigest = mutateDigest;
    }

    public IReadOnlyList<string> Images { get; }
    public IReadOnlyList<ImageSignatureAttestor> Attestors { get; }
    /// <summary>The attestors whose key is in a Secret (empty when every key is inline).</summary>
    public IReadOnlyList<ImageSignatureAttestor> SecretRefs { get; }
    /// <summary>The key set when every key is inline, else null (see <see cref="SecretRefs"/>).</summary>
    public VerificationKeySet? InlineKeySet { get; }
    public int Required { get; }
    public bool MutateDigest { get; }
    public ImageSignatureFailurePolicy FailurePolicy { get; }

    /// <summary>Whether this condition targets <paramref name="image"/> (as written in the pod).</summary>
    public bool Targets(ReadOnlySpan<byte> image)
    {
        if (image.Length == 0) return false;
        foreach (var glob in _globs)
            if (Glob.Matches(glob, image)) return true;
        var reference = ImageReference.Parse(image);
        var length = reference.NormalizedLength(true);
        Span<byte> buffer = length <= 512 ? stackalloc byte[512] : new byte[length];
        var normalized = buffer[..reference.WriteNormalized(buffer, true)];
        foreach (var glob in _globs)
            if (Glob.Matches(glob, normalized)) return true;
        return false;
    }

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        var outcomes = ImageSignatureOutcomes.Current;
        for (var i = 0; i < containers.Length; i++)
        {
            var image = facts.Text(containers[i].Image);
            if (!Targets(image)) continue;
            var found = outcomes?.Resolve(this, image) ?? -1;
            if (found >= 0 && outcomes!.Get(found).Satisfies(Required)) continue;
            // detail: index of the outcome + 1, or 0 when there is none (verification did not run).
            var ignored = found >= 0 && FailurePolicy == ImageSignatureFailurePolicy.Ignore && outcomes!.Get(found).Unavailable is not null;
            context.Report(Kind, i, FieldId.Image, containers[i].Image, found + 1, ignored ? IgnoredRegistryError : -1);
        }
    }

    /// <summary>A registry that could not be asked, under failurePolicy: ignore: reported, but as a warning.</summary>
    public override bool WarnsOnly(in Violation violation) => violation.Item == IgnoredRegistryError;

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var image = facts.String(violation.Value);
        var outcome = violation.Detail > 0 ? ImageSignatureOutcomes.Current?.Get(violation.Detail - 1) : null;
        // Short: admission warnings are cut at 120 characters; the webhook logs the full registry error.
        if (WarnsOnly(violation) && outcome?.Unavailable is { } cause)
            return ($"image \"{image}\" unverified, failurePolicy ignore: {cause}",
                $"make the registry reachable from the webhook ({outcome.Error}), or set failurePolicy: fail to deny meanwhile");
        var why = outcome is null
            ? "its signature was not verified (no registry verification ran for this request" + OfflineKeys() + ")"
            : outcome.Error is { } error ? $"its signature could not be checked: {error}"
            : $"{outcome.ValidKeys} of the required {Required} attestor key(s) signed {outcome.Digest}" + (outcome.Problem is null ? "" : $" ({outcome.Problem})");
        return ($"image \"{image}\" is not signed as required: {why}",
            $"sign the image's digest with {(Required == Attestors.Count ? "every" : $"{Required} of the")} attestor key(s) " +
            $"({string.Join(", ", Attestors.Select(a => a.Name))}), e.g. 'security-operator sign --key KEY IMAGE@DIGEST'");
    }

    /// <summary>Where the keys kept in Secrets are, for a report made without the API (the audit role).</summary>
    private string OfflineKeys() => SecretRefs.Count == 0 ? ""
        : "; " + string.Join(", ", SecretRefs.Select(a => $"attestor {a.Name}'s key is in {a.SecretRef}")) + ", which is only read through the API";
}

/// <summary>A named public key that may vouch for images: inline (<see cref="Key"/>) or in a Secret
/// (<see cref="SecretRef"/>, read at admission time); exactly one of the two is set.</summary>
public sealed record ImageSignatureAttestor(string Name, VerificationKey? Key, AttestorSecretRef? SecretRef = null);
