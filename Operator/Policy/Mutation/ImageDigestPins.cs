using System.Text;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Mutation;

/// <summary>imageSignature's mutateDigest: each container whose image was verified by a condition with
/// mutateDigest: true, and is not pinned yet, gets its image rewritten to "image@digest" (the verified digest), so what
/// runs is what was verified. Read from <see cref="ImageSignatureOutcomes.Current"/>; without outcomes nothing happens.
/// The op is "add", which replaces an existing member (RFC 6902 4.1).</summary>
public static class ImageDigestPins
{
    /// <summary>Whether the current request has at least one image to pin.</summary>
    public static bool Pending
    {
        get
        {
            if (ImageSignatureOutcomes.Current is not { } outcomes) return false;
            foreach (var (condition, outcome) in outcomes.All)
                if (IsPin(condition, outcome)) return true;
            return false;
        }
    }

    internal static void Write(PodFacts facts, string pointerPrefix, PatchWriter patch)
    {
        if (ImageSignatureOutcomes.Current is not { } outcomes) return;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            var image = facts.Text(containers[i].Image);
            foreach (var (condition, outcome) in outcomes.All)
            {
                if (!IsPin(condition, outcome) || !image.SequenceEqual(Encoding.UTF8.GetBytes(outcome.Image))) continue;
                var pinned = $"{outcome.Image}@{outcome.Digest}";
                var c = containers[i];
                patch.Add($"{pointerPrefix}/spec/{c.Section.FieldName()}/{c.IndexInSection}/image", w => w.WriteStringValue(pinned));
                break;
            }
        }
    }

    private static bool IsPin(ImageSignatureCondition condition, ImageSignatureOutcome outcome) =>
        condition.MutateDigest && outcome.Satisfies(condition.Required) && !outcome.Image.Contains('@');
}
