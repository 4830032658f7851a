using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecurityOperator.Audit;

/// <summary>SARIF 2.1.0 for code-scanning tools (GitHub code scanning, IDE viewers). Shape per the OASIS 2.1.0 schema:
/// sarifLog{version, runs} → run{tool{driver{name, rules[{id, shortDescription{text}}]}}, results, invocations} →
/// result{ruleId, ruleIndex, level, message{text}, locations[{physicalLocation{artifactLocation{uri}, region{startLine}}}]}.
/// Levels: deny → error, warn → warning, alert and dryrun → note. URIs are relative to the base directory (with
/// uriBaseId %SRCROOT%), so results map to repository paths. Read errors become tool execution notifications.</summary>
public sealed class AuditSarifFormatter : IAuditFormatter
{
    public const string ToolName = "security-operator";
    // The schema location GitHub's and Microsoft's SARIF tooling emit for 2.1.0.
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    private const string SourceRoot = "%SRCROOT%";

    private readonly string _baseDirectory;
    private readonly string? _toolVersion;
    private readonly IReadOnlyDictionary<string, string> _ruleDescriptions;

    public AuditSarifFormatter(string baseDirectory, string? toolVersion, IReadOnlyDictionary<string, string>? ruleDescriptions = null)
    {
        _baseDirectory = Path.GetFullPath(baseDirectory);
        _toolVersion = toolVersion;
        _ruleDescriptions = ruleDescriptions ?? new Dictionary<string, string>();
    }

    public static string Level(string action) => action switch
    {
        AuditActions.Deny => "error",
        AuditActions.Warn => "warning",
        _ => "note",
    };

    public void Write(AuditReport report, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            List<string> ruleIds = report.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).ToList();
            var ruleIndex = ruleIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);

            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, ruleIds, report.Findings);
            WriteBaseUri(json);
            WriteInvocation(json, report.Errors);
            json.WriteStartArray("results");
            foreach (AuditFinding finding in report.Findings)
            {
                WriteResult(json, finding, ruleIndex[finding.RuleId]);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private void WriteTool(Utf8JsonWriter json, List<string> ruleIds, IReadOnlyList<AuditFinding> findings)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", ToolName);
        if (_toolVersion is not null)
        {
            json.WriteString("version", _toolVersion);
        }

        json.WriteStartArray("rules");
        foreach (string id in ruleIds)
        {
            AuditFinding first = findings.First(f => f.RuleId == id);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("name", first.Rule);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", _ruleDescriptions.TryGetValue(id, out string? text) ? text : $"Rule '{first.Rule}' of policy '{first.Policy}'");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(first.Action));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void WriteBaseUri(Utf8JsonWriter json)
    {
        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRoot);
        string root = new Uri(_baseDirectory.EndsWith(Path.DirectorySeparatorChar) ? _baseDirectory : _baseDirectory + Path.DirectorySeparatorChar).AbsoluteUri;
        json.WriteString("uri", root);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void WriteInvocation(Utf8JsonWriter json, IReadOnlyList<ManifestError> errors)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", errors.Count == 0);
        json.WriteStartArray("toolExecutionNotifications");
        foreach (ManifestError error in errors)
        {
            json.WriteStartObject();
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", error.Message);
            json.WriteEndObject();
            json.WriteStartArray("locations");
            WriteLocation(json, error.File, error.Line, error.Column);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private void WriteResult(Utf8JsonWriter json, AuditFinding finding, int ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Action));
        json.WriteStartObject("message");
        json.WriteString("text", finding.Message);
        json.WriteEndObject();
        json.WriteStartArray("locations");
        WriteLocation(json, finding.Object.SourceFile, finding.Object.Line, 0, finding.Object);
        json.WriteEndArray();
        json.WriteStartObject("properties");
        json.WriteString("action", finding.Action);
        json.WriteString("severity", finding.Severity);
        json.WriteString("kind", finding.Object.Kind);
        json.WriteString("object", AuditTableFormatter.ObjectName(finding.Object));
        if (finding.Container is not null)
        {
            json.WriteString("container", finding.Container);
        }

        if (finding.Field is not null)
        {
            json.WriteString("field", finding.Field);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void WriteLocation(Utf8JsonWriter json, string file, int line, int column, ManifestObject? obj = null)
    {
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        (string uri, bool relative) = ArtifactUri(file);
        json.WriteString("uri", uri);
        if (relative)
        {
            json.WriteString("uriBaseId", SourceRoot);
        }

        json.WriteEndObject();
        if (line > 0)
        {
            // region.startLine (and startColumn) are 1-based; whole-file problems have no region.
            json.WriteStartObject("region");
            json.WriteNumber("startLine", line);
            if (column > 0)
            {
                json.WriteNumber("startColumn", column);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        if (obj is not null)
        {
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", obj.Name.Length > 0 ? obj.Name : "(unnamed)");
            json.WriteString("fullyQualifiedName", $"{obj.Kind}/{AuditTableFormatter.ObjectName(obj)}");
            json.WriteString("kind", "resource");
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>A relative URI reference (segments percent-encoded, '/' separators) when the file lies under the base
    /// directory; otherwise an absolute file: URI. Standard input is reported as "stdin".</summary>
    private (string Uri, bool Relative) ArtifactUri(string file)
    {
        if (file == ManifestReader.StdinPath)
        {
            return ("stdin", true);
        }

        string full = Path.GetFullPath(file);
        string relative = Path.GetRelativePath(_baseDirectory, full);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (new Uri(full).AbsoluteUri, false);
        }

        string[] segments = relative.Split(Path.DirectorySeparatorChar);
        return (string.Join('/', segments.Select(Uri.EscapeDataString)), true);
    }
}
