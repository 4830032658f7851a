using System.Text.Json;

namespace SecurityOperator.Kube.Config;

/// <summary>One parsed kubeconfig file, with its full path (used in errors and to resolve relative paths).</summary>
internal sealed record KubeconfigFile(string Path, KubeconfigDocument Document)
{
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? "/";

    /// <summary>Reads and parses one file. A missing file returns null when <paramref name="missingIsError"/> is false
    /// (files named in a KUBECONFIG list may be absent, as kubectl allows).</summary>
    public static KubeconfigFile? Read(string path, bool missingIsError)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try { text = File.ReadAllText(fullPath); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (!missingIsError) return null;
            throw new KubeconfigException(fullPath, null, "file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException(fullPath, null, $"cannot read the file: {e.Message}", e);
        }
        var json = KubeconfigText.ToJson(text, fullPath);
        if (json is null) return new KubeconfigFile(fullPath, new KubeconfigDocument());
        try
        {
            var document = JsonSerializer.Deserialize(json, KubeconfigJsonContext.Default.KubeconfigDocument)
                ?? throw new KubeconfigException(fullPath, null, "the document is null, expected a Config object");
            return new KubeconfigFile(fullPath, document);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
            throw new KubeconfigException(fullPath, field, $"not a valid kubeconfig: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
