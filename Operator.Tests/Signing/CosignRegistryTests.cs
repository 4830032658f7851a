using System.Text;
using System.Text.Json;
using SecurityOperator.Registry;
using SecurityOperator.Signing;
using SecurityOperator.Tests.Registry;

namespace SecurityOperator.Tests.Signing;

/// <summary>Sign and verify against a real registry (Debian's docker-registry on loopback): the artifacts cosign
/// would write, and every way a signature must fail.</summary>
public class CosignRegistryTests(LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    private async Task<(RegistryClient Client, ImageName Image)> PushedAsync(string tag = "v1")
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        var client = registry.CreateClient();
        var repository = registry.NewRepository(tag);
        var pushed = await TestImages.PushImageAsync(client, repository);
        return (client, repository.WithDigest(pushed.Digest));
    }

    [SkippableFact]
    public async Task Signed_image_verifies_and_the_artifacts_have_cosigns_shape()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var pair = new TestKeyPair();
        using var pub = pair.Public();

        var signed = await new CosignSigner(client).SignAsync(image, pair.Key);
        Assert.False(signed.AlreadySigned);
        Assert.Equal($"sha256-{image.Digest!.Value.Hex}.sig", signed.SignatureImage.Tag);

        var manifest = await client.GetManifestAsync(signed.SignatureImage);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        var parsed = JsonSerializer.Deserialize(manifest.Content, RegistryJsonContext.Default.OciManifest)!;
        var layer = Assert.Single(parsed.Layers);
        Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", layer.MediaType);
        var payload = await client.GetBlobAsync(image, OciDigest.Parse(layer.Digest));
        Assert.Contains($"\"docker-manifest-digest\":\"{image.Digest}\"", Encoding.UTF8.GetString(payload));
        Assert.True(pub.Verifies(payload, Convert.FromBase64String(layer.Annotations!["dev.cosignproject.cosign/signature"])));
        Assert.Equal(MediaTypes.OciConfig, parsed.Config.MediaType);

        var result = await new CosignVerifier(client).VerifyAsync(image, [pub]);
        Assert.True(result.IsVerified);
        Assert.Same(pub, Assert.Single(result.VerifyingKeys));
        Assert.Equal(image.Name, Assert.Single(result.Checks).DockerReference);
    }

    [SkippableFact]
    public async Task Unsigned_image_does_not_verify_and_says_there_is_no_signature()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var pair = new TestKeyPair();
        using var pub = pair.Public();
        var result = await new CosignVerifier(client).VerifyAsync(image, [pub]);
        Assert.False(result.IsVerified);
        Assert.Contains($"no {CosignFormat.SignatureTag(image.Digest!.Value)}", result.Explain());
    }

    [SkippableFact]
    public async Task Signature_by_another_key_does_not_verify()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var signer = new TestKeyPair();
        using var other = new TestKeyPair();
        using var otherPub = other.Public("other.pub");
        await new CosignSigner(client).SignAsync(image, signer.Key);
        var result = await new CosignVerifier(client).VerifyAsync(image, [otherPub]);
        Assert.False(result.IsVerified);
        Assert.Contains("does not verify with any given key", result.Explain());
    }

    [SkippableFact]
    public async Task Signing_twice_keeps_one_layer_and_a_second_key_appends_one()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var first = new TestKeyPair();
        using var second = new TestKeyPair();
        using var firstPub = first.Public("first.pub");
        using var secondPub = second.Public("second.pub");
        var signer = new CosignSigner(client);
        await signer.SignAsync(image, first.Key);
        Assert.True((await signer.SignAsync(image, first.Key)).AlreadySigned);
        await signer.SignAsync(image, second.Key);

        var result = await new CosignVerifier(client).VerifyAsync(image, [firstPub, secondPub]);
        Assert.Equal(2, result.Checks.Count);
        Assert.Equal([firstPub, secondPub], result.VerifyingKeys);
    }

    [SkippableFact]
    public async Task Tag_moved_after_signing_resolves_to_an_unsigned_digest()
    {
        var (client, image) = await PushedAsync("release");
        using var _ = client;
        using var pair = new TestKeyPair();
        using var pub = pair.Public();
        await new CosignSigner(client).SignAsync(image, pair.Key);

        var moved = await TestImages.PushImageAsync(client, image.WithTag("release")); // same tag, new content
        var head = await client.HeadManifestAsync(image.WithTag("release"));
        Assert.Equal(moved.Digest, head!.Digest);
        var result = await new CosignVerifier(client).VerifyAsync(image.WithTag("release").WithDigest(head.Digest), [pub]);
        Assert.False(result.IsVerified);
    }

    [SkippableFact]
    public async Task Signature_copied_to_another_digest_is_refused_because_the_payload_names_the_old_one()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var pair = new TestKeyPair();
        using var pub = pair.Public();
        var signed = await new CosignSigner(client).SignAsync(image, pair.Key);
        var other = await TestImages.PushImageAsync(client, image.WithTag("other"));

        // An attacker copies the valid signature manifest to the sig tag of their own image.
        var signature = await client.GetManifestAsync(signed.SignatureImage);
        await client.PutManifestAsync(CosignFormat.SignatureImage(image, other.Digest), signature.Content, signature.MediaType);

        var result = await new CosignVerifier(client).VerifyAsync(image.WithDigest(other.Digest), [pub]);
        Assert.False(result.IsVerified);
        Assert.Contains($"payload signs {image.Digest}, not {other.Digest}", result.Explain());
    }

    [SkippableFact]
    public async Task Altered_payload_with_the_old_signature_does_not_verify()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var pair = new TestKeyPair();
        using var pub = pair.Public();
        var signed = await new CosignSigner(client).SignAsync(image, pair.Key);

        var signature = await client.GetManifestAsync(signed.SignatureImage);
        var manifest = JsonSerializer.Deserialize(signature.Content, RegistryJsonContext.Default.OciManifest)!;
        var original = Encoding.UTF8.GetString(await client.GetBlobAsync(image, OciDigest.Parse(manifest.Layers[0].Digest)));
        var altered = Encoding.UTF8.GetBytes(original.Replace(image.Name, image.Name + "-evil"));
        manifest.Layers[0].Digest = (await client.PushBlobAsync(image, altered)).ToString();
        manifest.Layers[0].Size = altered.Length;
        await client.PutManifestAsync(signed.SignatureImage, JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.OciManifest),
            MediaTypes.OciManifest);

        var result = await new CosignVerifier(client).VerifyAsync(image, [pub]);
        Assert.False(result.IsVerified);
        Assert.Contains("does not verify with any given key", result.Explain());
    }

    [SkippableFact]
    public async Task Index_is_signed_and_verified_over_the_index_digest_not_its_platforms()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var repository = registry.NewRepository("multi");
        var (index, amd64, _) = await TestImages.PushIndexAsync(client, repository);
        using var pair = new TestKeyPair();
        using var pub = pair.Public();
        await new CosignSigner(client).SignAsync(repository.WithDigest(index.Digest), pair.Key);

        Assert.True((await new CosignVerifier(client).VerifyAsync(repository.WithDigest(index.Digest), [pub])).IsVerified);
        Assert.False((await new CosignVerifier(client).VerifyAsync(repository.WithDigest(amd64.Digest), [pub])).IsVerified);
    }

    [SkippableFact]
    public async Task Signing_a_digest_the_registry_does_not_have_is_an_error()
    {
        var (client, image) = await PushedAsync();
        using var _ = client;
        using var pair = new TestKeyPair();
        var missing = image.WithDigest(OciDigest.Sha256Of("never pushed"u8));
        var e = await Assert.ThrowsAsync<RegistryException>(() => new CosignSigner(client).SignAsync(missing, pair.Key));
        Assert.Contains("does not exist", e.Message);
    }
}
