using System.Text.Json;
using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Manifests;

/// <summary>manifests/kustomization.yaml lists exactly the manifest files that exist (each once), pins the image in
/// one place, and renders with `kubectl kustomize` where kubectl is installed (the file check runs everywhere).</summary>
public class KustomizationTests
{
    private const string ImageName = "registry.example.com/security-operator/security-operator";

    private static JsonElement Kustomization() =>
        Assert.Single(ManifestTree.Documents, d => d.File == ManifestTree.KustomizationFile).Object;

    /// <summary>Every file `kubectl kustomize manifests/` reads: the resources of manifests/kustomization.yaml, and for
    /// a listed folder (a role folder with a kustomization.yaml of its own) that kustomization and its resources, in
    /// turn. Problems (a listed path that does not exist, a folder without kustomization.yaml) are collected.</summary>
    private static (List<string> Files, List<string> Problems) Resolve()
    {
        var files = new List<string>();
        var problems = new List<string>();
        void Walk(string kustomization)
        {
            files.Add(kustomization);
            var doc = ManifestTree.Documents.FirstOrDefault(d => d.File == kustomization);
            if (doc is null) { problems.Add($"{kustomization} does not parse"); return; }
            var dir = Path.GetDirectoryName(kustomization)!.Replace(Path.DirectorySeparatorChar, '/');
            foreach (var resource in ManifestTree.Strings(doc.Object, "resources"))
            {
                var relative = Path.GetRelativePath(ManifestTree.Root, Path.GetFullPath(Path.Combine(ManifestTree.Root, dir, resource)))
                    .Replace(Path.DirectorySeparatorChar, '/').TrimEnd('/');
                var full = Path.Combine(ManifestTree.Root, relative);
                if (File.Exists(full)) files.Add(relative);
                else if (Directory.Exists(full) && File.Exists(Path.Combine(full, ManifestTree.KustomizationFile))) Walk(relative + "/" + ManifestTree.KustomizationFile);
                else if (Directory.Exists(full)) problems.Add($"{kustomization} lists the folder {resource}, which has no kustomization.yaml");
                else problems.Add($"{kustomization} lists {resource}, which does not exist");
            }
        }
        Walk(ManifestTree.KustomizationFile);
        return (files, problems);
    }

    [Fact]
    public void Every_listed_resource_exists_and_is_listed_once()
    {
        var (files, problems) = Resolve();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(files.Count > 1, "manifests/kustomization.yaml lists no resources");
        var twice = files.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "listed more than once: " + string.Join(", ", twice));
    }

    [Fact]
    public void Every_manifest_file_is_listed()
    {
        var listed = Resolve().Files.ToHashSet(StringComparer.Ordinal);
        var unlisted = ManifestTree.Files.Where(f => !listed.Contains(f)).ToList();
        Assert.True(unlisted.Count == 0,
            "manifest files that `kubectl apply -k manifests/` would not apply; list them (or their role folder) in manifests/kustomization.yaml: " +
            string.Join(", ", unlisted));
    }

    [Fact]
    public void The_image_is_pinned_by_digest_in_one_place_and_every_workload_uses_that_name()
    {
        var image = Assert.Single(Kustomization().GetProperty("images").EnumerateArray());
        Assert.Equal(ImageName, image.GetProperty("name").GetString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", image.GetProperty("digest").GetString());
        var placeholder = $"{ImageName}@sha256:{new string('0', 64)}";
        var wrong = WorkloadImages().Where(i => i.Image != placeholder).Select(i => $"{i.Where}: {i.Image}").ToList();
        Assert.True(wrong.Count == 0, $"workload images must be the placeholder {placeholder} that the release pins:\n" + string.Join("\n", wrong));
    }

    [SkippableFact]
    public async Task Kubectl_kustomize_renders_every_object_with_the_pinned_image()
    {
        var kubectl = FindOnPath("kubectl");
        Skip.If(kubectl is null, "kubectl is not installed (Debian's kubernetes-client is too old for this kustomization); the file checks above still ran");
        var result = await ProcessRunner.RunAsync(kubectl!, ["kustomize", ManifestTree.Root]);
        Assert.True(result.ExitCode == 0, result.Output);

        var rendered = YamlToJson.ConvertAll(result.Stdout, "kubectl kustomize")
            .Select(d => JsonDocument.Parse(d.Json).RootElement.Clone()).ToList();
        static string Key(JsonElement o) => $"{o.GetProperty("kind").GetString()}/{o.GetProperty("metadata").GetProperty("name").GetString()}";
        Assert.Equal(ManifestTree.Objects.Select(d => Key(d.Object)).Order(StringComparer.Ordinal),
            rendered.Select(Key).Order(StringComparer.Ordinal));

        var digest = Kustomization().GetProperty("images")[0].GetProperty("digest").GetString();
        var images = rendered.SelectMany(o => ContainerImages(o, Key(o))).ToList();
        Assert.All(images, i => Assert.Equal($"{ImageName}@{digest}", i.Image));
    }

    internal static IEnumerable<(string Where, string Image)> WorkloadImages() =>
        ManifestTree.Objects.SelectMany(d => ContainerImages(d.Object, d.ToString()));

    private static IEnumerable<(string Where, string Image)> ContainerImages(JsonElement obj, string where)
    {
        if (!obj.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object) yield break;
        var pod = spec.TryGetProperty("template", out var t) && t.TryGetProperty("spec", out var ts) ? ts
            : spec.TryGetProperty("jobTemplate", out var jt) ? jt.GetProperty("spec").GetProperty("template").GetProperty("spec")
            : obj.GetProperty("kind").GetString() == "Pod" ? spec : default;
        if (pod.ValueKind != JsonValueKind.Object) yield break;
        foreach (var list in new[] { "initContainers", "containers" })
            if (pod.TryGetProperty(list, out var containers))
                foreach (var c in containers.EnumerateArray())
                    yield return ($"{where} {list}/{c.GetProperty("name").GetString()}", c.GetProperty("image").GetString() ?? "");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
