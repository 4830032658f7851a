using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Audit;

/// <summary>Machine output: one JSON document {findings, summary, errors}, written by a source-generated serializer.</summary>
public sealed class AuditJsonFormatter : IAuditFormatter
{
    public void Write(AuditReport report, TextWriter output)
    {
        var document = new AuditJsonDocument(
            report.Findings.Select(f => new AuditJsonFinding(
                f.Object.SourceFile, f.Object.Line, f.Object.ApiVersion, f.Object.Kind, f.Object.Namespace, f.Object.Name,
                f.Policy, f.Rule, f.Container, f.Field, f.Message, f.Action, f.Severity)).ToList(),
            new AuditJsonSummary(
                report.Summary.ObjectsScanned,
                report.Summary.WorkloadsEvaluated,
                report.Summary.Skipped,
                new AuditJsonActionCounts(report.Summary.Deny, report.Summary.Warn, report.Summary.Alert, report.Summary.DryRun),
                report.Summary.FilesWithErrors),
            report.Errors.Select(e => new AuditJsonError(e.File, e.Line, e.Column, e.Message)).ToList());
        output.WriteLine(JsonSerializer.Serialize(document, AuditJsonContext.Default.AuditJsonDocument));
    }
}

internal sealed record AuditJsonDocument(
    IReadOnlyList<AuditJsonFinding> Findings,
    AuditJsonSummary Summary,
    IReadOnlyList<AuditJsonError> Errors);

internal sealed record AuditJsonFinding(
    string File,
    int Line,
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    string Policy,
    string Rule,
    string? Container,
    string? Field,
    string Message,
    string Action,
    string Severity);

internal sealed record AuditJsonSummary(
    int ObjectsScanned,
    int WorkloadsEvaluated,
    int Skipped,
    AuditJsonActionCounts FindingsByAction,
    int FilesWithErrors);

internal sealed record AuditJsonActionCounts(
    [property: JsonPropertyName("deny")] int Deny,
    [property: JsonPropertyName("warn")] int Warn,
    [property: JsonPropertyName("alert")] int Alert,
    [property: JsonPropertyName("dryrun")] int DryRun);

/// <summary>Line and column are 0 when the error concerns a whole file.</summary>
internal sealed record AuditJsonError(string File, int Line, int Column, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(AuditJsonDocument))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
