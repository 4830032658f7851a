using System.Globalization;
using System.Text.RegularExpressions;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Reads the transcript format described in k8s-api-transcripts/INDEX.md. Malformed input (a section that is
/// not what its header says) throws <see cref="FormatException"/> naming the file and line.</summary>
public static partial class TranscriptParser
{
    [GeneratedRegex(@"^=== (?<head>.*) ===$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^(?<kind>REQUEST|RESPONSE|WEBHOOK CALL|WEBHOOK RESPONSE) (?<n>\d+)(?<rest>.*)$")]
    private static partial Regex NumberedHeader();

    [GeneratedRegex(@"^--- frame (?<i>\d+) at \+(?<t>[\d.]+)s(?: \([^)]*\))?: (?<type>\S+) (?<kind>\S*) (?<name>\S*) ?rv=(?<rv>\S*) ---$")]
    private static partial Regex FrameHeader();

    public static TranscriptFile Load(string path) => Parse(System.IO.Path.GetFileName(path), File.ReadAllText(path));

    public static TranscriptFile Parse(string name, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var notes = lines.TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()).ToList();
        var blocks = SplitSections(name, lines);
        var sections = new List<TranscriptSection>();
        var exchanges = new List<TranscriptExchange>();
        TranscriptRequest? pending = null;
        string? pendingActions = null;
        TranscriptRequest? pendingCall = null;
        foreach (var (head, body, line) in blocks)
        {
            var numbered = NumberedHeader().Match(head);
            if (!numbered.Success)
            {
                var kind = head.Split(' ', 2)[0].TrimEnd(':');
                sections.Add(new TranscriptSection(kind, head, string.Join('\n', body).Trim()));
                if (kind == "ACTIONS") pendingActions = string.Join('\n', body).Trim();
                continue;
            }
            var number = int.Parse(numbered.Groups["n"].Value, CultureInfo.InvariantCulture);
            var label = Label(numbered.Groups["rest"].Value);
            sections.Add(new TranscriptSection(numbered.Groups["kind"].Value, head, string.Join('\n', body).Trim()));
            switch (numbered.Groups["kind"].Value)
            {
                case "REQUEST":
                    pending = ParseRequest(name, line, number, label, body);
                    break;
                case "RESPONSE":
                    if (pending is null) throw new FormatException($"{name}:{line}: RESPONSE {number} without a REQUEST before it");
                    exchanges.Add(new TranscriptExchange(pending, ParseResponse(name, line, number, body), pendingActions, []));
                    pending = null;
                    pendingActions = null;
                    break;
                case "WEBHOOK CALL":
                    pendingCall = ParseRequest(name, line, number, label, body);
                    break;
                case "WEBHOOK RESPONSE":
                    if (pendingCall is null) throw new FormatException($"{name}:{line}: WEBHOOK RESPONSE {number} without a WEBHOOK CALL");
                    var answer = ParseResponse(name, line, number, body);
                    if (exchanges.Count > 0)
                    {
                        var last = exchanges[^1];
                        exchanges[^1] = last with { WebhookCalls = [.. last.WebhookCalls, (pendingCall, answer)] };
                    }
                    pendingCall = null;
                    break;
            }
        }
        return new TranscriptFile(name, notes.FirstOrDefault() ?? "", notes.Skip(1).ToList(), sections, exchanges);
    }

    private static string Label(string rest)
    {
        rest = rest.Trim();
        if (rest.StartsWith('(') && rest.EndsWith(')')) return rest[1..^1];
        return rest.TrimStart(':').Trim();
    }

    private static List<(string Head, List<string> Body, int Line)> SplitSections(string name, string[] lines)
    {
        var blocks = new List<(string, List<string>, int)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var m = SectionHeader().Match(lines[i]);
            if (m.Success) blocks.Add((m.Groups["head"].Value.Trim(), [], i + 1));
            else if (blocks.Count > 0) blocks[^1].Item2.Add(lines[i]);
            else if (lines[i].Length > 0 && !lines[i].StartsWith('#'))
                throw new FormatException($"{name}:{i + 1}: text before the first section: '{lines[i]}'");
        }
        return blocks;
    }

    private static TranscriptRequest ParseRequest(string file, int line, int number, string label, List<string> body)
    {
        var (startLine, headers, rest) = Head(file, line, body);
        var parts = startLine.Split(' ');
        if (parts.Length < 2) throw new FormatException($"{file}:{line}: expected 'METHOD /path HTTP/1.1', got '{startLine}'");
        return new TranscriptRequest(number, label, parts[0], parts[1], headers, TrimBody(rest));
    }

    private static TranscriptResponse ParseResponse(string file, int line, int number, List<string> body)
    {
        var (statusLine, headers, rest) = Head(file, line, body);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !int.TryParse(parts[1], out var code))
            throw new FormatException($"{file}:{line}: expected 'HTTP/1.1 CODE TEXT', got '{statusLine}'");
        var frames = new List<StreamFrame>();
        string? end = null;
        var bodyLines = new List<string>();
        for (var i = 0; i < rest.Count; i++)
        {
            var frame = FrameHeader().Match(rest[i]);
            if (frame.Success)
            {
                var content = i + 1 < rest.Count ? rest[i + 1] : throw new FormatException($"{file}:{line}: frame without content");
                frames.Add(new StreamFrame(int.Parse(frame.Groups["i"].Value, CultureInfo.InvariantCulture),
                    double.Parse(frame.Groups["t"].Value, CultureInfo.InvariantCulture), frame.Groups["type"].Value,
                    frame.Groups["kind"].Value, frame.Groups["name"].Value, frame.Groups["rv"].Value, content));
                i++;
            }
            else if (rest[i].StartsWith("--- end of stream:", StringComparison.Ordinal)) end = rest[i].Trim('-', ' ');
            else if (frames.Count == 0 && end is null) bodyLines.Add(rest[i]);
        }
        return new TranscriptResponse(number, code, parts.Length > 2 ? parts[2] : "", headers, TrimBody(bodyLines), frames, end);
    }

    private static (string StartLine, TranscriptHeaders Headers, List<string> Remainder) Head(string file, int line, List<string> body)
    {
        var i = 0;
        while (i < body.Count && body[i].Length == 0) i++;
        if (i == body.Count) throw new FormatException($"{file}:{line}: empty section");
        var start = body[i++];
        var headers = new List<KeyValuePair<string, string>>();
        for (; i < body.Count && body[i].Length > 0; i++)
        {
            var colon = body[i].IndexOf(':');
            if (colon <= 0) throw new FormatException($"{file}:{line + i + 1}: expected 'Header: value', got '{body[i]}'");
            headers.Add(new(body[i][..colon], body[i][(colon + 1)..].Trim()));
        }
        return (start, new TranscriptHeaders(headers), body.Skip(i + 1).ToList());
    }

    // The body runs up to the next section; the blank line before that section is layout, not body.
    private static string TrimBody(List<string> lines)
    {
        var end = lines.Count;
        while (end > 0 && lines[end - 1].Length == 0) end--;
        return string.Join('\n', lines.Take(end));
    }
}
