using System.Text;
using System.Text.Json;
using SecurityOperator.Tests.Kube.Transcripts;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>One recorded exchange of a transcript file, in the shape the canned server replays.</summary>
internal sealed record CannedExchange(int Number, string Label, string Method, string PathAndQuery, string RequestBody, CannedResponse Response);

/// <summary>A response to replay: status, headers (without framing headers) and the body as it was on the wire.</summary>
internal sealed record CannedResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? ContentType => Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;

    public CannedResponse WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };
}

/// <summary>Turns the exchanges read by <see cref="TranscriptParser"/> into wire-form responses: JSON bodies are
/// pretty-printed in the files and compact on the wire, so they are re-compacted (key order kept); stream bodies are the
/// frame lines exactly as received.</summary>
internal static class Transcript
{
    public static IReadOnlyList<CannedExchange> Load(string fileName) =>
        TranscriptDirectory.Load(fileName).Exchanges.Select(ToCanned).ToList();

    public static CannedExchange Exchange(string fileName, int number) => Load(fileName).Single(e => e.Number == number);

    private static CannedExchange ToCanned(Transcripts.TranscriptExchange exchange)
    {
        var request = exchange.Request;
        return new CannedExchange(exchange.Response.Number, request.Label, request.Method, request.Target, request.Body,
            ToCanned(exchange.Response));
    }

    private static CannedResponse ToCanned(TranscriptResponse response)
    {
        // Content-Length and Transfer-Encoding describe the recorded framing; the test server recomputes them.
        var headers = response.Headers.All.Where(h => h.Key is not ("Content-Length" or "Transfer-Encoding")).ToList();
        var contentType = headers.FirstOrDefault(h => h.Key == "Content-Type").Value ?? "";
        byte[] body;
        if (response.Frames.Count > 0)
            body = Encoding.UTF8.GetBytes(string.Concat(response.Frames.Select(f => f.Line + "\n")));
        else if (contentType.StartsWith("application/json", StringComparison.Ordinal) && response.Body.Length > 0)
            body = Compact(response.Body);
        else
            body = Encoding.UTF8.GetBytes(response.Body.Length == 0 ? "" : response.Body + "\n");
        return new CannedResponse(response.StatusCode, headers, body);
    }

    /// <summary>The wire form: one line of compact JSON ending in "\n".</summary>
    public static byte[] Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
