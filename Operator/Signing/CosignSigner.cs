using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing;

/// <summary>Signs an image by digest the way <c>cosign sign --key</c> does: the simple-signing payload becomes a layer
/// of the signature image <c>sha256-&lt;hex&gt;.sig</c> with the signature in an annotation; signatures already there
/// are kept (a new one is appended, an identical one is not added twice).</summary>
public sealed class CosignSigner(RegistryClient client)
{
    public sealed record Result(ImageName Image, ImageName SignatureImage, OciDigest SignatureManifestDigest, bool AlreadySigned);

    public async Task<Result> SignAsync(ImageName image, ECDsa key, CancellationToken cancellation = default)
    {
        var digest = image.Digest ?? throw new ArgumentException($"sign by digest: '{image}' has no @sha256:... digest", nameof(image));
        // The image must exist: a signature for a digest nobody pushed is a mistake (usually a typo).
        if (await client.HeadManifestAsync(image, cancellation).ConfigureAwait(false) is null)
            throw new RegistryException($"registry {image.Registry}: {image.Name}@{digest} does not exist", System.Net.HttpStatusCode.NotFound);

        var payload = SimpleSigningPayload.Create(image, digest);
        var signature = Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var signatureImage = CosignFormat.SignatureImage(image, digest);

        var manifest = await ExistingAsync(signatureImage, cancellation).ConfigureAwait(false) ?? new OciManifest { MediaType = MediaTypes.OciManifest };
        var payloadDigest = OciDigest.Sha256Of(payload).ToString();
        var signatureOf = manifest.Layers.FirstOrDefault(l => l.Digest == payloadDigest)?.Annotations?.GetValueOrDefault(CosignFormat.SignatureAnnotation);
        if (signatureOf is not null && VerifiesWith(key, payload, signatureOf))
        {
            var existing = await client.HeadManifestAsync(signatureImage, cancellation).ConfigureAwait(false);
            return new Result(image, signatureImage, existing!.Digest, AlreadySigned: true);
        }

        await client.PushBlobAsync(image, payload, cancellation).ConfigureAwait(false);
        manifest.Layers.Add(new OciDescriptor
        {
            MediaType = CosignFormat.SimpleSigningMediaType,
            Digest = payloadDigest,
            Size = payload.Length,
            Annotations = new Dictionary<string, string> { [CosignFormat.SignatureAnnotation] = signature },
        });
        var config = ConfigFor(manifest.Layers);
        manifest.Config = new OciDescriptor
        {
            MediaType = MediaTypes.OciConfig,
            Digest = (await client.PushBlobAsync(image, config, cancellation).ConfigureAwait(false)).ToString(),
            Size = config.Length,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.OciManifest);
        var stored = await client.PutManifestAsync(signatureImage, bytes, manifest.MediaType ?? MediaTypes.OciManifest, cancellation)
            .ConfigureAwait(false);
        return new Result(image, signatureImage, stored, AlreadySigned: false);
    }

    private async Task<OciManifest?> ExistingAsync(ImageName signatureImage, CancellationToken cancellation)
    {
        ManifestResult found;
        try
        {
            found = await client.GetManifestAsync(signatureImage, cancellation).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(found.Content, RegistryJsonContext.Default.OciManifest);
        }
        catch (JsonException e)
        {
            throw new FormatException($"existing signature manifest {signatureImage} is not a valid image manifest: {e.Message}", e);
        }
    }

    private static bool VerifiesWith(ECDsa key, byte[] payload, string base64)
    {
        try
        {
            return key.VerifyData(payload, Convert.FromBase64String(base64), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The signature image's config, shaped like cosign's (empty platform, one diff_id per layer: the layers
    /// are uncompressed, so a layer's diff_id is its digest).</summary>
    private static byte[] ConfigFor(IReadOnlyList<OciDescriptor> layers)
    {
        var text = new StringBuilder("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        text.AppendJoin(',', layers.Select(l => "\"" + l.Digest + "\""));
        text.Append("]},\"config\":{}}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
