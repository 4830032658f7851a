namespace SecurityOperator.Hosting;

/// <summary>Extra read-only documents a role serves on the metrics port next to /metrics (e.g. the latest compliance
/// report as JSON). A role registers a path and a function returning the current body, or null while there is nothing
/// to show yet (answered 503 so a poller retries).</summary>
public sealed class OperationalDocuments
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string ContentType, Func<string?> Render)> _documents = new(StringComparer.Ordinal);

    public void Register(string path, string contentType, Func<string?> render)
    {
        if (!path.StartsWith('/')) throw new ArgumentException($"document path '{path}' must start with /", nameof(path));
        lock (_gate) _documents[path] = (contentType, render);
    }

    /// <summary>Null when no document has this path; else the status code, content type and body.</summary>
    public (int Code, string ContentType, string Body)? Answer(string path)
    {
        (string ContentType, Func<string?> Render) document;
        lock (_gate)
            if (!_documents.TryGetValue(path, out document)) return null;
        return document.Render() is { } body
            ? (200, document.ContentType, body)
            : (503, "text/plain; charset=utf-8", $"{path}: not available yet\n");
    }
}
