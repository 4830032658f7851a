using System.Text.Json;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing;

/// <summary>Verifies an image's cosign key-pair signatures: fetches <c>sha256-&lt;hex&gt;.sig</c>, and for each
/// simple-signing layer downloads the payload (digest-checked), checks that its type is cosign's and that its
/// docker-manifest-digest is exactly the image's digest, then checks the annotation's ECDSA signature against each
/// key. A payload for another digest (a tag moved, a copied signature) or an altered payload never verifies.</summary>
public sealed class CosignVerifier(RegistryClient client)
{
    /// <summary>Verifies <paramref name="image"/>, which must carry a digest (resolve tags first).</summary>
    public async Task<SignatureVerification> VerifyAsync(ImageName image, IReadOnlyList<VerificationKey> keys, CancellationToken cancellation = default)
    {
        var digest = image.Digest ?? throw new ArgumentException($"verify by digest: '{image}' has no digest", nameof(image));
        ManifestResult signatures;
        try
        {
            signatures = await client.GetManifestAsync(CosignFormat.SignatureImage(image, digest), cancellation).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return new SignatureVerification(image, digest, []);
        }
        OciManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(signatures.Content, RegistryJsonContext.Default.OciManifest);
        }
        catch (JsonException e)
        {
            return new SignatureVerification(image, digest, [new SignatureCheck(signatures.Digest.ToString(), null, null, $"signature manifest is not valid JSON: {e.Message}")]);
        }
        var checks = new List<SignatureCheck>();
        foreach (var layer in manifest?.Layers ?? [])
        {
            if (layer.MediaType != CosignFormat.SimpleSigningMediaType) continue;
            checks.Add(await CheckAsync(image, digest, layer, keys, cancellation).ConfigureAwait(false));
        }
        return new SignatureVerification(image, digest, checks);
    }

    private async Task<SignatureCheck> CheckAsync(ImageName image, OciDigest digest, OciDescriptor layer, IReadOnlyList<VerificationKey> keys,
        CancellationToken cancellation)
    {
        if (layer.Annotations?.GetValueOrDefault(CosignFormat.SignatureAnnotation) is not { Length: > 0 } encoded)
            return new SignatureCheck(layer.Digest, null, null, $"no {CosignFormat.SignatureAnnotation} annotation");
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return new SignatureCheck(layer.Digest, null, null, "signature annotation is not base64");
        }
        if (!OciDigest.TryParse(layer.Digest, out var payloadDigest, out var digestProblem))
            return new SignatureCheck(layer.Digest, null, null, $"layer digest {digestProblem}");
        byte[] payload;
        try
        {
            payload = await client.GetBlobAsync(image, payloadDigest, cancellation).ConfigureAwait(false);
        }
        catch (DigestMismatchException e)
        {
            return new SignatureCheck(layer.Digest, null, null, e.Message);
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return new SignatureCheck(layer.Digest, null, null, "payload blob is missing from the registry");
        }

        // The signature first: what a payload says only counts once the key vouches for these exact bytes.
        var key = keys.FirstOrDefault(k => k.Verifies(payload, signature));
        if (key is null) return new SignatureCheck(layer.Digest, null, null, "signature does not verify with any given key");
        SimpleSigningPayload parsed;
        try
        {
            parsed = SimpleSigningPayload.Parse(payload);
        }
        catch (FormatException e)
        {
            return new SignatureCheck(layer.Digest, null, null, e.Message);
        }
        if (parsed.Critical.Type != CosignFormat.PayloadType)
            return new SignatureCheck(layer.Digest, null, null, $"payload type is '{parsed.Critical.Type}', not '{CosignFormat.PayloadType}'");
        if (parsed.Critical.Image.DockerManifestDigest != digest.ToString())
            return new SignatureCheck(layer.Digest, null, parsed.Critical.Identity.DockerReference,
                $"payload signs {parsed.Critical.Image.DockerManifestDigest}, not {digest}");
        return new SignatureCheck(layer.Digest, key, parsed.Critical.Identity.DockerReference, null);
    }
}
