using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Headers in recorded order; lookups ignore case (HTTP header names are case-insensitive).</summary>
public sealed class TranscriptHeaders(IReadOnlyList<KeyValuePair<string, string>> all)
{
    public IReadOnlyList<KeyValuePair<string, string>> All { get; } = all;

    public string? this[string name] => All.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> Values(string name) =>
        All.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}

/// <summary>A recorded request: "METHOD /path?query HTTP/1.1", headers, body exactly as sent (JSON pretty-printed in the file).</summary>
public sealed record TranscriptRequest(int Number, string Label, string Method, string Target, TranscriptHeaders Headers, string Body)
{
    public string Path => Target.Split('?', 2)[0];
    public string Query => Target.Contains('?') ? Target.Split('?', 2)[1] : "";
    public string? ContentType => Headers["Content-Type"];
    public bool HasBody => Body.Length > 0;

    /// <summary>The body as JSON, or null when it is empty or not JSON (YAML apply bodies, malformed-JSON requests).</summary>
    public JsonNode? Json => TranscriptJson.TryParse(Body);
}

/// <summary>A recorded response: status line, headers, and either a body or the frames of a watch stream.</summary>
public sealed record TranscriptResponse(int Number, int StatusCode, string StatusText, TranscriptHeaders Headers, string Body,
    IReadOnlyList<StreamFrame> Frames, string? EndOfStream)
{
    public bool IsStream => EndOfStream is not null;
    public JsonNode? Json => TranscriptJson.TryParse(Body);
}

/// <summary>"--- frame i at +T s (...): TYPE Kind name rv=N ---" and the frame line exactly as received.</summary>
public sealed record StreamFrame(int Index, double AtSeconds, string Type, string Kind, string Name, string ResourceVersion, string Line)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Line)!;
}

/// <summary>A "=== KIND title ===" block other than requests and responses (SETUP, NOTE, ACTIONS, KUBECTL, separators),
/// and the webhook blocks, kept as raw text.</summary>
public sealed record TranscriptSection(string Kind, string Title, string Text);

/// <summary>A request, its response, the ACTIONS done while it ran (for streams) and the webhook calls it caused.</summary>
public sealed record TranscriptExchange(TranscriptRequest Request, TranscriptResponse Response, string? Actions,
    IReadOnlyList<(TranscriptRequest Call, TranscriptResponse Answer)> WebhookCalls);

/// <summary>One transcript file: title and notes from the leading "# " lines, every section in order, and the exchanges.</summary>
public sealed record TranscriptFile(string Name, string Title, IReadOnlyList<string> Notes, IReadOnlyList<TranscriptSection> Sections,
    IReadOnlyList<TranscriptExchange> Exchanges)
{
    public TranscriptExchange Exchange(int index) => Exchanges[index];

    /// <summary>The exchange whose request label contains <paramref name="labelFragment"/>.</summary>
    public TranscriptExchange Find(string labelFragment) =>
        Exchanges.FirstOrDefault(e => e.Request.Label.Contains(labelFragment, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{Name}: no request labelled like '{labelFragment}'");
}

internal static class TranscriptJson
{
    public static JsonNode? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
