using System.Text.Json;
using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Manifests;

/// <summary>One object of a file under manifests/, with the file (relative to manifests/, '/'-separated) and line.</summary>
public sealed record ManifestDocument(string File, int Line, JsonElement Object)
{
    public string Kind => Object.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";

    public string Name => Metadata("name") ?? "";

    public string? Namespace => Metadata("namespace");

    private string? Metadata(string field) =>
        Object.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty(field, out var v)
        && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public override string ToString() => $"{Kind} {Name} ({File}:{Line})";
}

/// <summary>The operator's own manifests (manifests/ of the repository), read with the project's own YAML reader, the
/// same one --role audit uses. Parse errors are kept, not thrown, so one test can name all of them.</summary>
public static class ManifestTree
{
    public static string Root { get; } = Path.Combine(RepositoryPaths.Root, "manifests");

    public const string KustomizationFile = "kustomization.yaml";

    /// <summary>Every .yaml/.yml file below manifests/, relative and '/'-separated, in ordinal order.</summary>
    public static IReadOnlyList<string> Files { get; } = Directory
        .EnumerateFiles(Root, "*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
        .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static readonly Lazy<(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<string> Errors)> Loaded = new(Load);

    /// <summary>Every non-null document of every file (the kustomization included).</summary>
    public static IReadOnlyList<ManifestDocument> Documents => Loaded.Value.Documents;

    /// <summary>"file:line:column: problem" for every document that did not parse or is not a mapping.</summary>
    public static IReadOnlyList<string> Errors => Loaded.Value.Errors;

    /// <summary>manifests/kustomization.yaml or a role folder's own kustomization.yaml.</summary>
    public static bool IsKustomization(string file) => file == KustomizationFile || file.EndsWith("/" + KustomizationFile, StringComparison.Ordinal);

    /// <summary>The Kubernetes objects: every document but the kustomizations.</summary>
    public static IEnumerable<ManifestDocument> Objects => Documents.Where(d => !IsKustomization(d.File));

    public static IEnumerable<ManifestDocument> OfKind(string kind) => Objects.Where(d => d.Kind == kind);

    private static (IReadOnlyList<ManifestDocument>, IReadOnlyList<string>) Load()
    {
        var documents = new List<ManifestDocument>();
        var errors = new List<string>();
        foreach (var file in Files)
        {
            var result = YamlToJson.ConvertAllCollectingErrors(File.ReadAllText(Path.Combine(Root, file)), file);
            errors.AddRange(result.Errors.Select(e => $"{file}:{e.Line}:{e.Column}: {e.Problem}"));
            foreach (var doc in result.Documents)
            {
                var root = JsonDocument.Parse(doc.Json).RootElement.Clone();
                if (root.ValueKind == JsonValueKind.Null) continue;
                if (root.ValueKind != JsonValueKind.Object) errors.Add($"{file}:{doc.StartLine}: not a mapping");
                else documents.Add(new ManifestDocument(file, doc.StartLine, root));
            }
        }
        return (documents, errors);
    }

    /// <summary>The strings of an array property, or none when absent.</summary>
    public static IEnumerable<string> Strings(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())
            : [];
}
