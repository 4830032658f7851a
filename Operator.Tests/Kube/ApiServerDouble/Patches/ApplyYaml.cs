using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>Reads an apply-patch+yaml body. JSON bodies are read as JSON (YAML is a superset; pods-08 REQUEST 7/8).
/// Otherwise a SUBSET of block YAML, the one kubectl and the transcripts send: nested mappings by indentation,
/// "- " sequences (of scalars or mappings), plain/single/double-quoted scalars, comments and "---"-free single documents.
/// Not supported (rejected with FormatException): flow collections, anchors, multi-line scalars, tags.</summary>
public static class ApplyYaml
{
    public static JsonObject Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
            return JsonNode.Parse(text) as JsonObject ?? throw new FormatException("apply body is not an object");
        var lines = text.Replace("\r\n", "\n").Split('\n')
            .Select(StripComment)
            .Where(l => l.Trim().Length > 0 && l.Trim() != "---")
            .ToList();
        var pos = 0;
        var node = ParseBlock(lines, ref pos, Indent(lines.ElementAtOrDefault(0) ?? ""));
        if (pos != lines.Count) throw new FormatException($"unexpected indentation at line '{lines[pos].Trim()}'");
        return node as JsonObject ?? throw new FormatException("apply body is not a mapping");
    }

    private static JsonNode? ParseBlock(List<string> lines, ref int pos, int indent)
    {
        if (pos >= lines.Count) return null;
        return lines[pos].TrimStart().StartsWith("- ", StringComparison.Ordinal) || lines[pos].Trim() == "-"
            ? ParseSequence(lines, ref pos, indent)
            : ParseMapping(lines, ref pos, indent);
    }

    private static JsonObject ParseMapping(List<string> lines, ref int pos, int indent)
    {
        var map = new JsonObject();
        while (pos < lines.Count && Indent(lines[pos]) == indent && !lines[pos].TrimStart().StartsWith('-'))
        {
            var line = lines[pos].Trim();
            var colon = FindColon(line);
            if (colon < 0) throw new FormatException($"expected 'key: value' in '{line}'");
            var key = Unquote(line[..colon].Trim());
            var rest = line[(colon + 1)..].Trim();
            pos++;
            if (rest.Length > 0) map[key] = Scalar(rest);
            else if (pos < lines.Count && (Indent(lines[pos]) > indent || (Indent(lines[pos]) == indent && lines[pos].TrimStart().StartsWith('-'))))
                map[key] = ParseBlock(lines, ref pos, Indent(lines[pos]));
            else map[key] = null;
        }
        return map;
    }

    private static JsonArray ParseSequence(List<string> lines, ref int pos, int indent)
    {
        var list = new JsonArray();
        while (pos < lines.Count && Indent(lines[pos]) == indent && lines[pos].TrimStart().StartsWith('-'))
        {
            var content = lines[pos].TrimStart()[1..];
            var itemIndent = indent + 1 + (content.Length - content.TrimStart().Length);
            content = content.Trim();
            if (content.Length == 0) { pos++; list.Add(ParseBlock(lines, ref pos, Indent(lines[pos]))); continue; }
            if (FindColon(content) < 0) { list.Add(Scalar(content)); pos++; continue; }
            // "- key: value" starts a mapping whose other keys sit at the column of "key".
            lines[pos] = new string(' ', itemIndent) + content;
            list.Add(ParseMapping(lines, ref pos, itemIndent));
        }
        return list;
    }

    private static JsonNode? Scalar(string text)
    {
        if (text.StartsWith('"')) return JsonNode.Parse(text); // YAML double quotes use JSON escapes for the cases we accept
        if (text.StartsWith('\'')) return JsonValue.Create(text[1..^1].Replace("''", "'"));
        if (text.StartsWith('{') || text.StartsWith('[')) return JsonNode.Parse(text); // flow collections in JSON form only
        switch (text)
        {
            case "null" or "~": return null;
            case "true" or "True": return JsonValue.Create(true);
            case "false" or "False": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    private static string Unquote(string key) =>
        key.StartsWith('"') ? JsonSerializer.Deserialize<string>(key)! : key.StartsWith('\'') ? key[1..^1] : key;

    private static int FindColon(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c == ':' && (i + 1 == line.Length || line[i + 1] == ' ')) return i;
        }
        return -1;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c == '#' && (i == 0 || line[i - 1] == ' ')) return line[..i];
        }
        return line;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
