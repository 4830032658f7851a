using SecurityOperator.Tests.Kube.Transcripts;

namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>The watch frames recorded in ../shared/k8s-api-transcripts (each frame is one line starting with
/// {"type":, exactly as received from kube-apiserver v1.28), as read by <see cref="TranscriptParser"/>.</summary>
internal static class TranscriptFrames
{
    /// <summary>The frames of the <paramref name="response"/>-th response in a transcript file.</summary>
    public static List<string> Of(string file, int response) =>
        TranscriptDirectory.Load(file).Exchanges
            .Where(e => e.Response.Number == response)
            .SelectMany(e => e.Response.Frames)
            .Select(f => f.Line)
            .ToList();
}
