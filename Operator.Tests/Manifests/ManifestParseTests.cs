using System.Text.Json;

namespace SecurityOperator.Tests.Manifests;

/// <summary>Every file under manifests/ parses with the project's own YAML reader, and every document is a
/// Kubernetes object of the operator: apiVersion, kind, name, the namespace for namespaced kinds, and its labels.</summary>
public class ManifestParseTests
{
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "PriorityClass",
    };

    [Fact]
    public void Every_manifest_file_parses()
    {
        Assert.NotEmpty(ManifestTree.Files);
        Assert.True(ManifestTree.Errors.Count == 0, "manifests that do not parse:\n" + string.Join("\n", ManifestTree.Errors));
        var empty = ManifestTree.Files.Where(f => ManifestTree.Documents.All(d => d.File != f)).ToList();
        Assert.True(empty.Count == 0, "manifest files without any object: " + string.Join(", ", empty));
    }

    [Fact]
    public void Every_object_has_api_version_kind_name_and_the_namespace_its_scope_needs()
    {
        var problems = new List<string>();
        foreach (var doc in ManifestTree.Objects)
        {
            if (!doc.Object.TryGetProperty("apiVersion", out var v) || v.ValueKind != JsonValueKind.String) problems.Add($"{doc}: no apiVersion");
            if (doc.Kind.Length == 0) problems.Add($"{doc}: no kind");
            if (doc.Name.Length == 0) problems.Add($"{doc}: no metadata.name");
            var clusterScoped = ClusterScopedKinds.Contains(doc.Kind);
            if (clusterScoped && doc.Namespace is not null) problems.Add($"{doc}: cluster-scoped kind with metadata.namespace {doc.Namespace}");
            if (!clusterScoped && doc.Namespace is null) problems.Add($"{doc}: namespaced kind without metadata.namespace (kubectl would put it in the current namespace)");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_object_carries_the_operator_name_label()
    {
        var unlabelled = ManifestTree.Objects
            .Where(d => !(d.Object.GetProperty("metadata").TryGetProperty("labels", out var labels)
                          && labels.TryGetProperty("app.kubernetes.io/name", out var name) && name.GetString() == "security-operator"))
            .Select(d => d.ToString()).ToList();
        Assert.True(unlabelled.Count == 0, "objects without app.kubernetes.io/name=security-operator:\n" + string.Join("\n", unlabelled));
    }

    [Fact]
    public void The_namespace_enforces_pod_security_restricted()
    {
        var ns = Assert.Single(ManifestTree.OfKind("Namespace"), d => d.Name == "security-operator");
        var labels = ns.Object.GetProperty("metadata").GetProperty("labels");
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", labels.GetProperty($"pod-security.kubernetes.io/{mode}").GetString());
            Assert.Equal("latest", labels.GetProperty($"pod-security.kubernetes.io/{mode}-version").GetString());
        }
    }
}
