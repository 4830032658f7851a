using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Yaml;

namespace SecurityOperator.Audit;

/// <summary>Reads manifests for the offline audit: files, directories (recursively: *.yaml, *.yml, *.json), and "-" for
/// standard input. YAML streams may hold many documents; List kinds ("List", "PodList", ...) are flattened into their
/// items. JSON files go through the same YAML reader (JSON is YAML flow syntax and its scalars type identically), which
/// gives them line numbers too. Problems are collected, never thrown: one bad file must not stop the others.</summary>
public sealed class ManifestReader
{
    /// <summary>The path that means "read standard input", as kubectl uses it.</summary>
    public const string StdinPath = "-";

    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    // Strict decoding: a file with invalid UTF-8 is reported rather than silently altered.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TextReader _stdin;
    private readonly ILogger _logger;

    /// <param name="stdin">Standard input; tests pass a <see cref="StringReader"/>. Defaults to <see cref="Console.In"/>.</param>
    public ManifestReader(TextReader? stdin = null, ILogger? logger = null)
    {
        _stdin = stdin ?? Console.In;
        _logger = logger ?? NullLogger.Instance;
    }

    public ManifestReadResult Read(IEnumerable<string> paths)
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        int files = 0;
        foreach (string path in paths)
        {
            if (path == StdinPath)
            {
                files++;
                ReadText(StdinPath, ReadStdin, objects, errors);
            }
            else if (Directory.Exists(path))
            {
                foreach (string file in ManifestFilesUnder(path, errors))
                {
                    files++;
                    ReadText(file, () => File.ReadAllText(file, StrictUtf8), objects, errors);
                }
            }
            else if (File.Exists(path))
            {
                // An explicitly named file is read whatever its extension.
                files++;
                ReadText(path, () => File.ReadAllText(path, StrictUtf8), objects, errors);
            }
            else
            {
                errors.Add(new ManifestError(path, 0, 0, "no such file or directory"));
            }
        }

        return new ManifestReadResult(objects, errors, files);
    }

    private string ReadStdin() => _stdin.ReadToEnd();

    /// <summary>Manifest files below <paramref name="directory"/>, in ordinal path order so output is reproducible.
    /// Hidden entries (".git", editor swap files) are skipped; the recursion depth bound (64: far deeper than any real
    /// manifest tree) stops symlink cycles.</summary>
    private IEnumerable<string> ManifestFilesUnder(string directory, List<ManifestError> errors)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden,
            IgnoreInaccessible = false,
            MaxRecursionDepth = 64,
        };
        try
        {
            List<string> found = Directory.EnumerateFiles(directory, "*", options)
                .Where(f => ManifestExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .ToList();
            found.Sort(StringComparer.Ordinal);
            return found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ManifestError(directory, 0, 0, "cannot list directory: " + e.Message));
            return [];
        }
    }

    private void ReadText(string file, Func<string> read, List<ManifestObject> objects, List<ManifestError> errors)
    {
        string text;
        try
        {
            text = read();
        }
        catch (DecoderFallbackException)
        {
            errors.Add(new ManifestError(file, 0, 0, "not valid UTF-8 text"));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ManifestError(file, 0, 0, "cannot read: " + e.Message));
            return;
        }

        YamlStreamResult stream;
        try
        {
            stream = YamlToJson.ConvertAllCollectingErrors(text, file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A parser defect must cost this one file, not the whole audit.
            _logger.LogError(e, "YAML conversion of {File} failed unexpectedly", file);
            errors.Add(new ManifestError(file, 0, 0, $"internal parser error ({e.GetType().Name}: {e.Message}); please report this file"));
            return;
        }

        foreach (YamlException error in stream.Errors)
        {
            errors.Add(new ManifestError(file, error.Line, error.Column, error.Problem));
        }

        foreach (YamlDocumentJson document in stream.Documents)
        {
            AddDocument(file, document, objects, errors);
        }

        _logger.LogDebug("Read {File}: {Documents} documents, {Errors} errors", file, stream.Documents.Count, stream.Errors.Count);
    }

    private static void AddDocument(string file, YamlDocumentJson document, List<ManifestObject> objects, List<ManifestError> errors)
    {
        using JsonDocument parsed = JsonDocument.Parse(document.Json);
        JsonElement root = parsed.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            return; // "--- ~" or "null": nothing to apply, as kubectl treats it
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ManifestError(file, document.StartLine, 1,
                $"expected a Kubernetes object (a mapping with apiVersion and kind), found {Describe(root.ValueKind)}"));
            return;
        }

        if (IsList(root, out JsonElement items))
        {
            int index = 0;
            foreach (JsonElement item in items.EnumerateArray())
            {
                int line = index < document.ItemLines.Length ? document.ItemLines[index] : document.StartLine;
                AddObject(file, line, item, $"items[{index}]", objects, errors);
                index++;
            }

            return;
        }

        AddObject(file, document.StartLine, root, null, objects, errors);
    }

    /// <summary>"List" or any "*List" kind (PodList, DeploymentList...) with an "items" array.</summary>
    private static bool IsList(JsonElement root, out JsonElement items)
    {
        items = default;
        return root.TryGetProperty("kind", out JsonElement kind)
            && kind.ValueKind == JsonValueKind.String
            && kind.GetString()!.EndsWith("List", StringComparison.Ordinal)
            && root.TryGetProperty("items", out items)
            && items.ValueKind == JsonValueKind.Array;
    }

    private static void AddObject(string file, int line, JsonElement element, string? itemPath,
        List<ManifestObject> objects, List<ManifestError> errors)
    {
        string where = itemPath is null ? "" : itemPath + ": ";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ManifestError(file, line, 1, $"{where}expected a Kubernetes object, found {Describe(element.ValueKind)}"));
            return;
        }

        string? apiVersion = NonEmptyString(element, "apiVersion");
        string? kind = NonEmptyString(element, "kind");
        if (apiVersion is null || kind is null)
        {
            errors.Add(new ManifestError(file, line, 1,
                $"{where}not a Kubernetes object: {(apiVersion is null ? "apiVersion" : "kind")} is missing or not a non-empty string"));
            return;
        }

        string? name = null;
        string? ns = null;
        if (element.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            // generateName stands in for the name of objects created with a server-generated suffix.
            name = NonEmptyString(metadata, "name") ?? NonEmptyString(metadata, "generateName");
            ns = NonEmptyString(metadata, "namespace");
        }

        byte[] json = JsonMarshal.GetRawUtf8Value(element).ToArray();
        objects.Add(new ManifestObject(file, line, apiVersion, kind, ns, name ?? "", json));
    }

    private static string? NonEmptyString(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "a mapping",
    };
}
