using System.Text;
using System.Text.Json;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>One recorded exchange of a transcript file in ../shared/k8s-api-transcripts (format in its INDEX.md).</summary>
internal sealed record TranscriptExchange(int Number, string Label, string Method, string PathAndQuery, string RequestBody, CannedResponse Response);

/// <summary>A response to replay: status, headers (without framing headers) and the body as it was on the wire.</summary>
internal sealed record CannedResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? ContentType => Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;

    public CannedResponse WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };
}

/// <summary>Parses transcript files: "=== REQUEST n (label) ===" and "=== RESPONSE n ===" sections. JSON bodies are
/// pretty-printed in the files and compact on the wire, so they are re-compacted (key order kept); stream bodies are the
/// frame lines exactly as received.</summary>
internal static class Transcript
{
    public static string Directory => SecurityOperator.Tests.Support.RepositoryPaths.Transcripts;

    public static IReadOnlyList<TranscriptExchange> Load(string fileName)
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(Directory, fileName));
        var requests = new Dictionary<int, (string Label, string Line, string Body)>();
        var exchanges = new List<TranscriptExchange>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("=== REQUEST ", StringComparison.Ordinal))
            {
                var header = lines[i]["=== REQUEST ".Length..^" ===".Length];
                var space = header.IndexOf(' ');
                var number = int.Parse(space < 0 ? header : header[..space]);
                var label = space < 0 ? "" : header[(space + 1)..].Trim('(', ')');
                var section = Section(lines, i + 1);
                var blank = section.IndexOf("");
                requests[number] = (label, section[0], string.Join("\n", blank < 0 ? [] : section[(blank + 1)..]).Trim());
            }
            else if (lines[i].StartsWith("=== RESPONSE ", StringComparison.Ordinal))
            {
                var number = int.Parse(lines[i]["=== RESPONSE ".Length..^" ===".Length]);
                var (label, requestLine, requestBody) = requests[number];
                var parts = requestLine.Split(' ');
                exchanges.Add(new TranscriptExchange(number, label, parts[0], parts[1], requestBody, ParseResponse(Section(lines, i + 1))));
            }
        }
        return exchanges;
    }

    public static TranscriptExchange Exchange(string fileName, int number) => Load(fileName).Single(e => e.Number == number);

    private static List<string> Section(string[] lines, int start)
    {
        var section = new List<string>();
        for (var i = start; i < lines.Length && !lines[i].StartsWith("=== ", StringComparison.Ordinal); i++) section.Add(lines[i]);
        while (section.Count > 0 && section[^1].Length == 0) section.RemoveAt(section.Count - 1);
        return section;
    }

    private static CannedResponse ParseResponse(List<string> section)
    {
        var status = int.Parse(section[0].Split(' ')[1]);
        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < section.Count && section[i].Length > 0; i++)
        {
            var colon = section[i].IndexOf(':');
            var name = section[i][..colon];
            if (name is "Content-Length" or "Transfer-Encoding") continue; // recomputed by the test server
            headers.Add(new(name, section[i][(colon + 1)..].Trim()));
        }
        var bodyLines = section.Skip(i + 1).ToList();
        var contentType = headers.FirstOrDefault(h => h.Key == "Content-Type").Value ?? "";
        byte[] body;
        if (bodyLines.Any(l => l.StartsWith("--- frame ", StringComparison.Ordinal)))
            body = Encoding.UTF8.GetBytes(string.Concat(bodyLines.Where(l => !l.StartsWith("--- ", StringComparison.Ordinal)).Select(l => l + "\n")));
        else if (contentType.StartsWith("application/json", StringComparison.Ordinal) && bodyLines.Count > 0)
            body = Compact(string.Join("\n", bodyLines));
        else
            body = Encoding.UTF8.GetBytes(bodyLines.Count == 0 ? "" : string.Join("\n", bodyLines) + "\n");
        return new CannedResponse(status, headers, body);
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
