namespace SecurityOperator.Tests.Support;

/// <summary>Locates the repository root (the folder with Operator.csproj) from the test assembly's location, and the
/// shared transcripts beside it (CI clones the repository with shared/ next to it).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Transcripts => Path.GetFullPath(Path.Combine(Root, "..", "shared", "k8s-api-transcripts"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.csproj"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.csproj not found above {AppContext.BaseDirectory}");
    }
}
