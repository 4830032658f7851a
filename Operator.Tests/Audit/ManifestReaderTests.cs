using System.Text;
using System.Text.Json;
using SecurityOperator.Audit;

namespace SecurityOperator.Tests.Audit;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("manifest-reader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static ManifestReadResult Read(params string[] paths) => new ManifestReader(new StringReader("")).Read(paths);

    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

    [Fact]
    public void Single_yaml_file_gives_one_object_with_identity_and_compact_json()
    {
        string file = Write("pod.yaml", "# comment\n" + Pod);
        ManifestReadResult result = Read(file);
        ManifestObject pod = Assert.Single(result.Objects);
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.FilesRead);
        Assert.Equal((file, 2, "v1", "Pod", "prod", "web"), (pod.SourceFile, pod.Line, pod.ApiVersion, pod.Kind, pod.Namespace, pod.Name));
        Assert.Equal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"prod\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
            Encoding.UTF8.GetString(pod.Json));
    }

    [Fact]
    public void Multi_document_yaml_gives_objects_in_order_with_their_lines()
    {
        string file = Write("all.yaml", Pod + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\n");
        ManifestReadResult result = Read(file);
        Assert.Equal(["Pod", "ConfigMap"], result.Objects.Select(o => o.Kind));
        Assert.Equal([1, 11], result.Objects.Select(o => o.Line));
        Assert.Null(result.Objects[1].Namespace);
    }

    [Fact]
    public void Directories_are_read_recursively_in_path_order_and_only_manifest_extensions()
    {
        Write("b/deploy.yml", Pod.Replace("web", "b-yml"));
        Write("a/nested/deeper/pod.yaml", Pod.Replace("web", "a-yaml"));
        Write("c.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"c-json\"}}");
        Write("README.md", "# not a manifest: ignored");
        Write("notes.txt", "kind: [broken");
        Write(".hidden/pod.yaml", Pod.Replace("web", "hidden"));

        ManifestReadResult result = Read(_root);
        Assert.Empty(result.Errors);
        Assert.Equal(["a-yaml", "b-yml", "c-json"], result.Objects.Select(o => o.Name));
        Assert.Equal(3, result.FilesRead);
    }

    [Fact]
    public void An_explicitly_named_file_is_read_whatever_its_extension()
    {
        string file = Write("manifest.txt", Pod);
        Assert.Single(Read(file).Objects);
    }

    [Fact]
    public void Stdin_is_read_through_the_text_reader_seam()
    {
        var reader = new ManifestReader(new StringReader(Pod + "---\n" + Pod.Replace("web", "second")));
        ManifestReadResult result = reader.Read([ManifestReader.StdinPath]);
        Assert.Equal(["web", "second"], result.Objects.Select(o => o.Name));
        Assert.All(result.Objects, o => Assert.Equal("-", o.SourceFile));
    }

    [Fact]
    public void List_kinds_are_flattened_with_each_item_at_its_own_line()
    {
        string file = Write("list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: one}
            - apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: two
                namespace: ns
            """);
        ManifestReadResult result = Read(file);
        Assert.Equal(["one", "two"], result.Objects.Select(o => o.Name));
        Assert.Equal([4, 7], result.Objects.Select(o => o.Line));
        using JsonDocument item = JsonDocument.Parse(result.Objects[1].Json);
        Assert.Equal("Deployment", item.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void Typed_lists_and_empty_lists()
    {
        string file = Write("podlist.yaml", "apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n---\nkind: List\napiVersion: v1\nitems: []\n");
        ManifestReadResult result = Read(file);
        Assert.Equal("p", Assert.Single(result.Objects).Name);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Json_files_single_object_and_list_with_item_lines()
    {
        string single = Write("pod.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"j\", \"labels\": {\"a\": \"1\"}},\n  \"spec\": {\"hostNetwork\": true}\n}\n");
        string list = Write("list.json", "{\n \"apiVersion\": \"v1\",\n \"kind\": \"List\",\n \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}},\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"y\"}}\n ]\n}\n");
        ManifestReadResult result = Read(single, list);
        Assert.Empty(result.Errors);
        Assert.Equal(["j", "x", "y"], result.Objects.Select(o => o.Name));
        Assert.Equal([1, 5, 6], result.Objects.Select(o => o.Line));
        Assert.Equal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"j\",\"labels\":{\"a\":\"1\"}},\"spec\":{\"hostNetwork\":true}}",
            Encoding.UTF8.GetString(result.Objects[0].Json));
    }

    [Fact]
    public void Broken_yaml_is_reported_with_file_line_column_and_good_documents_are_kept()
    {
        string file = Write("broken.yaml", Pod + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  labels: {a: 1\n---\n" + Pod.Replace("web", "after"));
        ManifestReadResult result = Read(file);
        Assert.Equal(["web", "after"], result.Objects.Select(o => o.Name));
        ManifestError error = Assert.Single(result.Errors);
        Assert.Equal((file, 16), (error.File, error.Line));
        Assert.StartsWith($"{file}:16:", error.ToString());
        Assert.Equal(1, result.FilesWithErrors);
    }

    [Fact]
    public void Documents_that_are_not_objects_are_errors_and_null_documents_are_skipped()
    {
        string file = Write("odd.yaml", "- a\n- b\n---\n~\n---\nmetadata: {name: x}\n---\napiVersion: v1\nkind: List\nitems:\n- just a string\n");
        ManifestReadResult result = Read(file);
        Assert.Empty(result.Objects);
        Assert.Equal(3, result.Errors.Count);
        Assert.Contains("found a list", result.Errors[0].Message);
        Assert.Equal(1, result.Errors[0].Line);
        Assert.Contains("apiVersion is missing", result.Errors[1].Message);
        Assert.Equal(6, result.Errors[1].Line);
        Assert.Contains("items[0]: expected a Kubernetes object, found a string", result.Errors[2].Message);
        Assert.Equal(11, result.Errors[2].Line);
    }

    [Fact]
    public void Missing_paths_and_invalid_utf8_are_errors_not_exceptions()
    {
        string badUtf8 = Path.Combine(_root, "latin1.yaml");
        File.WriteAllBytes(badUtf8, [.. "a: caf"u8, 0xE9, (byte)'\n']);
        string missing = Path.Combine(_root, "nope.yaml");
        ManifestReadResult result = Read(missing, badUtf8);
        Assert.Equal([(missing, "no such file or directory"), (badUtf8, "not valid UTF-8 text")],
            result.Errors.Select(e => (e.File, e.Message)));
        Assert.Equal($"{missing}: no such file or directory", result.Errors[0].ToString());
        Assert.Equal(2, result.FilesWithErrors);
    }

    [Fact]
    public void GenerateName_stands_in_for_a_missing_name()
    {
        string file = Write("job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n");
        Assert.Equal("migrate-", Assert.Single(Read(file).Objects).Name);
    }
}
