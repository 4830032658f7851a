namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Finds the shared transcripts: GUIDE.md puts them at &lt;repo&gt;/../shared/k8s-api-transcripts; worktrees
/// sit one level deeper, so every ancestor of the test binary is tried.</summary>
public static class TranscriptDirectory
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static TranscriptFile Load(string fileName) => TranscriptParser.Load(System.IO.Path.Combine(Path, fileName));

    public static IEnumerable<string> FileNames() =>
        Directory.EnumerateFiles(Path, "*.txt").Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "k8s-api-transcripts");
            if (File.Exists(System.IO.Path.Combine(candidate, "INDEX.md"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"shared/k8s-api-transcripts/INDEX.md not found in any ancestor of {AppContext.BaseDirectory} (CI clones the repo with shared/ beside it)");
    }
}
