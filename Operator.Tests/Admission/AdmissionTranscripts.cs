using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Admission;

/// <summary>The webhook calls recorded in the adm-*.txt transcripts: request line, headers and the AdmissionReview
/// body, re-compacted to the single-line JSON that was on the wire (the files pretty-print it).</summary>
internal static class AdmissionTranscripts
{
    public sealed record WebhookCall(string RequestLine, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public JsonObject Review => JsonNode.Parse(Body)!.AsObject();
        public string Uid => (string)Review["request"]!["uid"]!;
    }

    /// <summary>Call <paramref name="number"/> (1-based, as numbered in the file) of the first section of the file.</summary>
    public static WebhookCall Call(string fileStart, int number)
    {
        var file = Directory.GetFiles(RepositoryPaths.Transcripts, fileStart + "*.txt").Single();
        var lines = File.ReadAllLines(file);
        var start = Array.FindIndex(lines, l => l.StartsWith($"=== WEBHOOK CALL {number}:", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{file}: no WEBHOOK CALL {number}");
        var requestLine = lines[start + 1];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = start + 2;
        for (; lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':');
            headers[lines[i][..colon]] = lines[i][(colon + 1)..].Trim();
        }
        var body = new StringBuilder();
        for (i++; i < lines.Length && !lines[i].StartsWith("===", StringComparison.Ordinal); i++) body.AppendLine(lines[i]);
        var compact = JsonNode.Parse(body.ToString())!.ToJsonString();
        return new WebhookCall(requestLine, headers, Encoding.UTF8.GetBytes(compact));
    }
}
