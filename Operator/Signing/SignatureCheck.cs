using SecurityOperator.Registry;

namespace SecurityOperator.Signing;

/// <summary>The outcome for one signature layer: which key verified it, or why none did.</summary>
public sealed record SignatureCheck(string LayerDigest, VerificationKey? VerifiedBy, string? DockerReference, string? Problem)
{
    public bool Verified => VerifiedBy is not null;
}

/// <summary>Everything found for one image digest: the verified signatures and the rejected ones with reasons.</summary>
public sealed record SignatureVerification(ImageName Image, OciDigest Digest, IReadOnlyList<SignatureCheck> Checks)
{
    /// <summary>The distinct keys that produced at least one valid signature.</summary>
    public IReadOnlyList<VerificationKey> VerifyingKeys => Checks.Where(c => c.Verified).Select(c => c.VerifiedBy!).Distinct().ToList();

    public bool IsVerified => Checks.Any(c => c.Verified);

    /// <summary>One line saying why nothing verified (no signature image, or each layer's problem).</summary>
    public string Explain() =>
        Checks.Count == 0
            ? $"no cosign signatures for {Image.Name}@{Digest} (no {CosignFormat.SignatureTag(Digest)} in the repository)"
            : $"no valid signature for {Image.Name}@{Digest} by the given key(s): " +
              string.Join("; ", Checks.Where(c => !c.Verified).Select(c => $"layer {c.LayerDigest[..Math.Min(19, c.LayerDigest.Length)]}: {c.Problem}"));
}
