using System.Text.Json;
using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

/// <summary>The client against a real registry (Debian's docker-registry on loopback).</summary>
public class RegistryClientTests(LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    [SkippableFact]
    public async Task Pushes_an_image_and_reads_it_back_by_tag_and_by_digest()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var image = registry.NewRepository();
        var pushed = await TestImages.PushImageAsync(client, image);

        var byTag = await client.GetManifestAsync(image);
        Assert.Equal(pushed.Digest, byTag.Digest);
        Assert.Equal(MediaTypes.OciManifest, byTag.MediaType);
        Assert.Equal(pushed.Content, byTag.Content);

        var byDigest = await client.GetManifestAsync(image.WithDigest(pushed.Digest));
        Assert.Equal(pushed.Content, byDigest.Content);

        var head = await client.HeadManifestAsync(image);
        Assert.Equal(pushed.Digest, head!.Digest);
        Assert.Equal(pushed.Content.Length, head.Size);

        var manifest = JsonSerializer.Deserialize(byTag.Content, RegistryJsonContext.Default.OciManifest)!;
        var config = await client.GetBlobAsync(image, OciDigest.Parse(manifest.Config.Digest));
        Assert.Contains("\"architecture\":\"amd64\"", System.Text.Encoding.UTF8.GetString(config));
        Assert.True(await client.BlobExistsAsync(image, OciDigest.Parse(manifest.Layers[0].Digest)));
    }

    [SkippableFact]
    public async Task An_index_is_served_as_an_index_with_its_own_digest()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var image = registry.NewRepository("multi");
        var (index, amd64, arm64) = await TestImages.PushIndexAsync(client, image);

        var got = await client.GetManifestAsync(image);
        Assert.Equal(MediaTypes.OciIndex, got.MediaType);
        Assert.Equal(index.Digest, got.Digest);
        var parsed = JsonSerializer.Deserialize(got.Content, RegistryJsonContext.Default.OciIndex)!;
        Assert.Equal([amd64.Digest.ToString(), arm64.Digest.ToString()], parsed.Manifests.Select(m => m.Digest));
    }

    [SkippableFact]
    public async Task Missing_manifests_and_blobs_are_not_found()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var image = registry.NewRepository("nothing");
        Assert.Null(await client.HeadManifestAsync(image));
        Assert.False(await client.BlobExistsAsync(image, OciDigest.Sha256Of("absent"u8)));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(image));
        Assert.True(e.IsNotFound);
        Assert.Contains(registry.Host, e.Message);
    }

    [SkippableFact]
    public async Task Pushing_the_same_blob_twice_uploads_it_once()
    {
        Skip.If(registry.SkipReason is not null, registry.SkipReason);
        using var client = registry.CreateClient();
        var image = registry.NewRepository();
        var first = await client.PushBlobAsync(image, "same bytes"u8.ToArray());
        var second = await client.PushBlobAsync(image, "same bytes"u8.ToArray());
        Assert.Equal(first, second);
        Assert.Equal("same bytes"u8.ToArray(), await client.GetBlobAsync(image, first));
    }
}
