using SecurityOperator.Registry;

namespace SecurityOperator.Signing;

/// <summary>The names cosign uses for a key-pair signature stored in a registry: the signature image is tagged
/// <c>sha256-&lt;hex&gt;.sig</c> in the signed image's repository, each signature is one layer of type
/// <see cref="SimpleSigningMediaType"/> (the payload) with the base64 DER ECDSA signature in the
/// <see cref="SignatureAnnotation"/> annotation.</summary>
public static class CosignFormat
{
    public const string SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PayloadType = "cosign container image signature";

    /// <summary>"sha256:abc..." becomes "sha256-abc....sig".</summary>
    public static string SignatureTag(OciDigest digest) => $"{digest.Algorithm}-{digest.Hex}.sig";

    public static ImageName SignatureImage(ImageName image, OciDigest digest) => image.WithTag(SignatureTag(digest));
}
