using System.Text;
using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

/// <summary>Synthetic images pushed through <see cref="RegistryClient"/>: a config blob, one random layer and an OCI
/// manifest, or an index of two such manifests (amd64 and arm64).</summary>
public static class TestImages
{
    public static async Task<ManifestResult> PushImageAsync(RegistryClient client, ImageName image, string architecture = "amd64")
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = new byte[512];
        Random.Shared.NextBytes(layer);
        var configDigest = await client.PushBlobAsync(image, config);
        var layerDigest = await client.PushBlobAsync(image, layer);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{layerDigest}}","size":{{layer.Length}}}]}
            """);
        var digest = await client.PutManifestAsync(image, manifest, MediaTypes.OciManifest);
        return new ManifestResult(digest, MediaTypes.OciManifest, manifest);
    }

    /// <summary>Pushes two platform manifests by digest and an index over them under the image's tag.</summary>
    public static async Task<(ManifestResult Index, ManifestResult Amd64, ManifestResult Arm64)> PushIndexAsync(RegistryClient client, ImageName image)
    {
        var amd64 = await PushImageAsync(client, image.WithTag("amd64"), "amd64");
        var arm64 = await PushImageAsync(client, image.WithTag("arm64"), "arm64");
        string Entry(ManifestResult m, string arch) =>
            $$"""{"mediaType":"{{m.MediaType}}","digest":"{{m.Digest}}","size":{{m.Content.Length}},"platform":{"architecture":"{{arch}}","os":"linux"}""" + "}";
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{Entry(amd64, "amd64")}},{{Entry(arm64, "arm64")}}]""" + "}");
        var digest = await client.PutManifestAsync(image, index, MediaTypes.OciIndex);
        return (new ManifestResult(digest, MediaTypes.OciIndex, index), amd64, arm64);
    }
}
