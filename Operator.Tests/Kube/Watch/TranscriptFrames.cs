namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>The watch frames recorded in ../shared/k8s-api-transcripts (each frame is one line starting with
/// {"type":, exactly as received from kube-apiserver v1.28).</summary>
internal static class TranscriptFrames
{
    public static string Directory => SecurityOperator.Tests.Support.RepositoryPaths.Transcripts;

    /// <summary>The frames of the <paramref name="response"/>-th response in a transcript file.</summary>
    public static List<string> Of(string file, int response)
    {
        var frames = new List<string>();
        var current = 0;
        foreach (var line in File.ReadLines(Path.Combine(Directory, file)))
        {
            if (line.StartsWith("=== RESPONSE ", StringComparison.Ordinal))
                current = int.Parse(line["=== RESPONSE ".Length..].Split(' ')[0]);
            else if (current == response && line.StartsWith("{\"type\":", StringComparison.Ordinal))
                frames.Add(line);
        }
        return frames;
    }
}
