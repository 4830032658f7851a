namespace SecurityOperator.Audit;

/// <summary>One Kubernetes object read from a manifest file (List kinds are flattened into their items).</summary>
/// <param name="SourceFile">The path as given on the command line (or found under a given directory); "-" for stdin.</param>
/// <param name="Line">1-based line of the object in its file (of its "- " entry when it came from a List).</param>
/// <param name="Json">Compact UTF-8 JSON of this one object, as the API server would receive it.</param>
public sealed record ManifestObject(
    string SourceFile,
    int Line,
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    byte[] Json);

/// <summary>A file (or a document in it) that could not be read. <see cref="Line"/> and <see cref="Column"/> are 0
/// when the problem concerns the whole file (missing, unreadable, not UTF-8).</summary>
public sealed record ManifestError(string File, int Line, int Column, string Message)
{
    /// <summary>"file:line:col: message", or "file: message" without a position.</summary>
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>What a read produced: every object that could be read and every problem met, in input order.</summary>
public sealed record ManifestReadResult(IReadOnlyList<ManifestObject> Objects, IReadOnlyList<ManifestError> Errors, int FilesRead)
{
    /// <summary>Distinct files with at least one error.</summary>
    public int FilesWithErrors => Errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();
}
