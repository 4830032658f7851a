using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;
using System.Text.Json;

namespace SecurityOperator.Tests.Manifests;

/// <summary>scripts/pin-image.sh, the release step that pins every workload to the pushed digest, run on a copy of the
/// repository's kustomization (never on the repository itself).</summary>
public class PinImageScriptTests
{
    private static async Task<(ProcessRunner.Result Result, string Kustomization)> PinAsync(string reference)
    {
        var dir = Directory.CreateTempSubdirectory("pin-image-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "scripts"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "manifests"));
            File.Copy(Path.Combine(RepositoryPaths.Root, "scripts", "pin-image.sh"), Path.Combine(dir.FullName, "scripts", "pin-image.sh"));
            File.Copy(Path.Combine(ManifestTree.Root, ManifestTree.KustomizationFile), Path.Combine(dir.FullName, "manifests", ManifestTree.KustomizationFile));
            var result = await ProcessRunner.RunAsync("bash", [Path.Combine(dir.FullName, "scripts", "pin-image.sh"), reference], dir.FullName);
            return (result, File.ReadAllText(Path.Combine(dir.FullName, "manifests", ManifestTree.KustomizationFile)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task It_rewrites_the_one_image_entry_to_the_released_name_and_digest()
    {
        var digest = "sha256:" + string.Concat(Enumerable.Repeat("ab", 32));
        var (result, text) = await PinAsync($"registry.internal:5000/platform/security-operator@{digest}");
        Assert.True(result.ExitCode == 0, result.Output);
        var image = JsonDocument.Parse(Assert.Single(YamlToJson.ConvertAll(text, "kustomization.yaml")).Json).RootElement
            .GetProperty("images")[0];
        Assert.Equal("registry.example.com/security-operator/security-operator", image.GetProperty("name").GetString());
        Assert.Equal("registry.internal:5000/platform/security-operator", image.GetProperty("newName").GetString());
        Assert.Equal(digest, image.GetProperty("digest").GetString());
    }

    [Theory]
    [InlineData("registry.example.com/security-operator/security-operator:0.1.0")]
    [InlineData("registry.example.com/security-operator/security-operator@sha256:abc")]
    [InlineData("security-operator@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task It_refuses_anything_but_a_repository_pinned_by_a_full_digest(string reference)
    {
        var original = File.ReadAllText(Path.Combine(ManifestTree.Root, ManifestTree.KustomizationFile));
        var (result, text) = await PinAsync(reference);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not REGISTRY/REPOSITORY@sha256:<64 lowercase hex>", result.Stderr);
        Assert.Equal(original, text);
    }
}
