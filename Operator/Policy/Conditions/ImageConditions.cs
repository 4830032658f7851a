using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>imageNotFromRegistry: flags every container whose normalized image ("registry/path", see
/// <see cref="ImageReference"/>) does not start with one of the allowed prefixes on a path-segment boundary
/// ("gcr.io/company" allows "gcr.io/company/app" but not "gcr.io/company-evil/app"). Prefixes are normalized the same
/// way ("nginx" means docker.io/library/nginx, "docker.io" all of Docker Hub). Containers without an image are flagged.</summary>
public sealed class ImageNotFromRegistryCondition : Condition
{
    private readonly byte[][] _prefixes;

    public ImageNotFromRegistryCondition(IReadOnlyList<string> normalizedPrefixes) : base(ConditionKind.ImageNotFromRegistry)
    {
        Prefixes = normalizedPrefixes;
        _prefixes = normalizedPrefixes.Select(p => Encoding.UTF8.GetBytes(p)).ToArray();
    }

    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>Normalizes a registry prefix as written in a policy, or returns null when it cannot be one.</summary>
    public static string? NormalizePrefix(string prefix)
    {
        var trimmed = prefix.Trim().TrimEnd('/');
        if (trimmed.Length == 0 || trimmed.Contains("://", StringComparison.Ordinal) || trimmed.Contains('@') || trimmed.Any(char.IsWhiteSpace)) return null;
        var slash = trimmed.IndexOf('/');
        var first = slash < 0 ? trimmed : trimmed[..slash];
        if (ImageReference.IsDomain(Encoding.UTF8.GetBytes(first)))
            return first == "index.docker.io" ? "docker.io" + trimmed[first.Length..] : trimmed;
        return slash < 0 ? $"docker.io/library/{trimmed}" : $"docker.io/{trimmed}";
    }

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        Span<byte> buffer = stackalloc byte[512];
        for (var i = 0; i < containers.Length; i++)
        {
            var image = facts.Text(containers[i].Image);
            if (!Allowed(image, buffer)) context.Report(Kind, i, FieldId.Image, containers[i].Image);
        }
    }

    private bool Allowed(ReadOnlySpan<byte> image, Span<byte> buffer)
    {
        if (image.Length == 0) return false;
        var reference = ImageReference.Parse(image);
        if (reference.NormalizedLength(false) > buffer.Length) return false;
        var normalized = buffer[..reference.WriteNormalized(buffer, false)];
        foreach (var prefix in _prefixes)
            if (normalized.StartsWith(prefix) && (normalized.Length == prefix.Length || normalized[prefix.Length] == '/')) return true;
        return false;
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"image \"{facts.String(violation.Value)}\" is not from an allowed registry ({string.Join(", ", Prefixes)})",
         $"use an image from one of: {string.Join(", ", Prefixes)}");
}

/// <summary>forbiddenImages: flags a container whose image matches one of the globs ('*', '?'), tried against the image
/// as written and against its normalized form "registry/path[:tag][@digest]" (so "docker.io/library/nginx:*" and
/// "nginx:*" both catch "nginx:1.25").</summary>
public sealed class ForbiddenImagesCondition : Condition
{
    private readonly byte[][] _globs;

    public ForbiddenImagesCondition(IReadOnlyList<string> globs) : base(ConditionKind.ForbiddenImages)
    {
        Globs = globs;
        _globs = globs.Select(g => Encoding.UTF8.GetBytes(g)).ToArray();
    }

    public IReadOnlyList<string> Globs { get; }

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        Span<byte> buffer = stackalloc byte[512];
        for (var i = 0; i < containers.Length; i++)
        {
            var image = facts.Text(containers[i].Image);
            if (image.Length == 0) continue;
            var reference = ImageReference.Parse(image);
            var normalized = reference.NormalizedLength(true) <= buffer.Length ? buffer[..reference.WriteNormalized(buffer, true)] : image;
            for (var g = 0; g < _globs.Length; g++)
            {
                if (!Glob.Matches(_globs[g], image) && !Glob.Matches(_globs[g], normalized)) continue;
                context.Report(Kind, i, FieldId.Image, containers[i].Image, detail: g);
                break;
            }
        }
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"image \"{facts.String(violation.Value)}\" matches forbidden pattern \"{Globs[violation.Detail]}\"",
         "use an image that matches none of the forbidden patterns");
}

/// <summary>imageTagLatestOrMissing: flags an image with tag "latest" or with neither tag nor digest (which means
/// latest). An image pinned by digest is not flagged, whatever its tag says: the digest decides what runs.</summary>
public sealed class ImageTagLatestOrMissingCondition() : Condition(ConditionKind.ImageTagLatestOrMissing)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            var reference = ImageReference.Parse(facts.Text(containers[i].Image));
            if (reference.HasDigest) continue;
            if (!reference.HasTag || reference.Tag.SequenceEqual("latest"u8)) context.Report(Kind, i, FieldId.Image, containers[i].Image);
        }
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"image \"{facts.String(violation.Value)}\" uses the latest tag (explicitly or by omission)",
         "pin a specific version tag or a digest (image@sha256:...)");
}

/// <summary>imageNotPinnedByDigest: flags an image without "@algorithm:hex" digest.</summary>
public sealed class ImageNotPinnedByDigestCondition() : Condition(ConditionKind.ImageNotPinnedByDigest)
{
    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            var digest = ImageReference.Parse(facts.Text(containers[i].Image)).Digest;
            var colon = digest.IndexOf((byte)':');
            if (colon <= 0 || colon == digest.Length - 1) context.Report(Kind, i, FieldId.Image, containers[i].Image);
        }
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"image \"{facts.String(violation.Value)}\" is not pinned by digest",
         "reference the image by digest (image@sha256:<digest>)");
}
