namespace SecurityOperator.Tests.Support;

/// <summary>Locates the repository root (the folder with Operator.csproj) from the test assembly's location, and the
/// shared transcripts beside it (CI clones the repository with shared/ next to it).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>CI clones the repository with shared/ beside it; a git worktree may sit deeper, so walk up to find it.</summary>
    public static string Transcripts { get; } = FindTranscripts();

    private static string FindTranscripts()
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "k8s-api-transcripts");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"shared/k8s-api-transcripts not found beside or above {Root}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.csproj"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.csproj not found above {AppContext.BaseDirectory}");
    }
}
