using System.Text;
using System.Text.Json;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>The kinds whose pods are evaluated, each through its pod template.</summary>
public enum WorkloadKind { Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController }

public enum LocateStatus { Found, NotAWorkload, Invalid }

/// <summary>Where the pod (template) of an object is: a byte range of the object's JSON holding {metadata, spec}, the
/// field-path prefix of that template ("", "spec.template.", "spec.jobTemplate.spec.template."), the object's kind, and
/// the range of its metadata.name string (raw JSON string content, -1 when absent) so that nothing is decoded unless
/// a message needs it. <see cref="FactsRead"/>: the template's facts were collected while locating it.</summary>
public readonly record struct PodTemplateLocation(WorkloadKind Kind, int Start, int Length, int NameStart, int NameLength, bool FactsRead = false)
{
    /// <summary>The object's metadata.name (allocates; for messages).</summary>
    public string? ObjectName(ReadOnlySpan<byte> objectJson)
    {
        if (NameStart < 0) return null;
        var raw = objectJson.Slice(NameStart, NameLength);
        if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw);
        var reader = new Utf8JsonReader(objectJson.Slice(NameStart - 1, NameLength + 2));
        reader.Read();
        return reader.GetString();
    }

    public string PathPrefix => Kind switch
    {
        WorkloadKind.Pod => "",
        WorkloadKind.CronJob => "spec.jobTemplate.spec.template.",
        _ => "spec.template.",
    };

    /// <summary>RFC 6901 pointer of the template, for JSON Patch paths.</summary>
    public string PointerPrefix => Kind switch
    {
        WorkloadKind.Pod => "",
        WorkloadKind.CronJob => "/spec/jobTemplate/spec/template",
        _ => "/spec/template",
    };

    public string DisplayName(ReadOnlySpan<byte> objectJson) => ObjectName(objectJson) is { } name ? $"{Kind} {name}" : Kind.ToString();
}

/// <summary>Finds the pod template of Pod (the object itself), Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
/// ReplicationController (spec.template) and CronJob (spec.jobTemplate.spec.template) without building a DOM.</summary>
public static class PodTemplateLocator
{
    private static readonly byte[][] KindNames = Enum.GetNames<WorkloadKind>().Select(Encoding.UTF8.GetBytes).ToArray();

    private static readonly string[] KindStrings = Enum.GetNames<WorkloadKind>();

    /// <summary>Compares against names computed once, so parsing a kind allocates nothing.</summary>
    public static bool TryParseKind(ReadOnlySpan<char> kind, out WorkloadKind workload)
    {
        for (var k = 0; k < KindStrings.Length; k++)
            if (kind.SequenceEqual(KindStrings[k])) { workload = (WorkloadKind)k; return true; }
        workload = default;
        return false;
    }

    /// <summary>Locates the template. <paramref name="kind"/> null: read "kind" from the object.</summary>
    public static LocateStatus TryLocate(ReadOnlySpan<byte> json, string? kind, EvaluationLimits limits, out PodTemplateLocation location, out string? error) =>
        TryLocate(json, kind, limits, null, skipPodMetadata: false, out location, out error, out _);

    /// <summary>Locates the template and collects its facts into <paramref name="facts"/>: a workload's template is read
    /// in place by the pass that finds it (one pass over the template instead of a skip to learn its length and a
    /// second read), anything else from its range. Invalid when either step fails; a fact error names the field with
    /// the template's path prefix ("spec.template.spec.containers[0].image: ...").</summary>
    public static LocateStatus TryLocateAndRead(ReadOnlySpan<byte> json, string? kind, EvaluationLimits limits, PodFacts facts,
        out PodTemplateLocation location, out string? error) =>
        TryLocateAndRead(json, kind, limits, facts, skipPodMetadata: true, out location, out error);

    /// <summary><paramref name="skipPodMetadata"/>: a Pod is read whole by the fact reader, metadata included, so the
    /// locator steps over the metadata of an object it already knows to be a Pod and takes the name from the facts.
    /// That holds only when the object turns out a Pod whose facts read; any other outcome (a later "kind", an error) is
    /// located again the full way, so that results and messages are those of the full way.</summary>
    private static LocateStatus TryLocateAndRead(ReadOnlySpan<byte> json, string? kind, EvaluationLimits limits, PodFacts facts,
        bool skipPodMetadata, out PodTemplateLocation location, out string? error)
    {
        var status = TryLocate(json, kind, limits, facts, skipPodMetadata, out location, out error, out var metadataSkipped);
        if (metadataSkipped && (status != LocateStatus.Found || location.FactsRead || location.Kind != WorkloadKind.Pod))
            return TryLocateAndRead(json, kind, limits, facts, skipPodMetadata: false, out location, out error);
        if (status != LocateStatus.Found || location.FactsRead) return status;
        if (PodFactReader.TryRead(json.Slice(location.Start, location.Length), facts, limits, out error))
        {
            // A Pod's range is the whole object, so the facts' position of the name is the object's.
            if (metadataSkipped) location = location with { NameStart = facts.RawNameStart, NameLength = facts.RawNameLength };
            return LocateStatus.Found;
        }
        if (metadataSkipped) return TryLocateAndRead(json, kind, limits, facts, skipPodMetadata: false, out location, out error);
        error = $"{location.PathPrefix}{error}";
        return LocateStatus.Invalid;
    }

    private static LocateStatus TryLocate(ReadOnlySpan<byte> json, string? kind, EvaluationLimits limits, PodFacts? facts,
        bool skipPodMetadata, out PodTemplateLocation location, out string? error, out bool metadataSkipped)
    {
        metadataSkipped = false;
        location = default;
        error = null;
        if (json.Length > limits.MaxBytes)
        {
            error = $"object is {json.Length} bytes, over the limit of {limits.MaxBytes} bytes";
            return LocateStatus.Invalid;
        }
        try
        {
            var reader = new JsonScanner(json, Math.Min(limits.MaxDepth, JsonScanner.DepthLimit));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "expected a JSON object";
                return LocateStatus.Invalid;
            }
            WorkloadKind? readKind = null;
            var kindSeen = false;
            int nameStart = -1, nameLength = 0;
            int specStart = -1, specLength = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    kindSeen = true;
                    for (var k = 0; k < KindNames.Length; k++)
                        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(KindNames[k])) readKind = (WorkloadKind)k;
                }
                else if (reader.ValueTextEquals("metadata"u8))
                {
                    reader.Read();
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    // A known Pod's metadata is read by the fact reader anyway (see TryLocateAndRead).
                    var skipName = isObject && skipPodMetadata && (kind == "Pod" || (kind is null && readKind == WorkloadKind.Pod));
                    metadataSkipped |= skipName;
                    if (isObject && !skipName) ReadName(ref reader, ref nameStart, ref nameLength);
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals("spec"u8))
                {
                    reader.Read();
                    specStart = (int)reader.TokenStartIndex;
                    // Known Pod: the template is the whole object and the fact reader reads (and validates) all of it,
                    // so stop here instead of scanning the spec twice.
                    if (kind == "Pod" || (kind is null && readKind == WorkloadKind.Pod)) break;
                    // Known workload (kind usually precedes spec): walk into the template with this same reader.
                    var known = readKind.GetValueOrDefault();
                    var kindKnown = kind is not null ? TryParseKind(kind, out known) : readKind.HasValue;
                    if (kindKnown)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject || !DescendInPlace(ref reader, known == WorkloadKind.CronJob ? CronJobPath : TemplatePath))
                        {
                            error = $"{known} has no {(known == WorkloadKind.CronJob ? "spec.jobTemplate.spec.template" : "spec.template")} object";
                            return LocateStatus.Invalid;
                        }
                        // Objects of the API server carry metadata before spec, so the name is known by now.
                        var templateStart = (int)reader.TokenStartIndex;
                        if (facts is null) reader.Skip();
                        else if (!PodFactReader.TryReadInPlace(ref reader, facts, out var factsError))
                        {
                            location = new PodTemplateLocation(known, templateStart, 0, nameStart, nameLength);
                            error = $"{location.PathPrefix}{factsError}";
                            return LocateStatus.Invalid;
                        }
                        var templateLength = (int)reader.BytesConsumed - templateStart;
                        location = new PodTemplateLocation(known, templateStart, templateLength, nameStart, nameLength, FactsRead: facts is not null);
                        return LocateStatus.Found;
                    }
                    reader.Skip();
                    specLength = (int)reader.BytesConsumed - specStart;
                }
                else reader.Skip();
            }
            WorkloadKind workload;
            if (kind is not null)
            {
                if (!TryParseKind(kind, out workload)) { error = $"kind {kind} has no pod template"; return LocateStatus.NotAWorkload; }
            }
            else if (readKind is { } known) workload = known;
            else
            {
                error = kindSeen ? "kind has no pod template" : "object has no kind";
                return LocateStatus.NotAWorkload;
            }
            if (workload == WorkloadKind.Pod)
            {
                // Reached when the kind came after spec or the loop stopped at spec: the fact reader validates the rest.
                location = new PodTemplateLocation(workload, 0, json.Length, nameStart, nameLength);
                return LocateStatus.Found;
            }
            if (specStart < 0 || json[specStart] != '{')
            {
                error = $"{workload} has no spec object";
                return LocateStatus.Invalid;
            }
            var path = workload == WorkloadKind.CronJob ? CronJobPath : TemplatePath;
            if (!TryDescend(json.Slice(specStart, specLength), path, limits, out var start, out var length))
            {
                error = $"{workload} has no {(workload == WorkloadKind.CronJob ? "spec.jobTemplate.spec.template" : "spec.template")} object";
                return LocateStatus.Invalid;
            }
            location = new PodTemplateLocation(workload, specStart + start, length, nameStart, nameLength);
            return LocateStatus.Found;
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return LocateStatus.Invalid;
        }
    }

    private static readonly byte[][] TemplatePath = ["template"u8.ToArray()];
    private static readonly byte[][] CronJobPath = ["jobTemplate"u8.ToArray(), "spec"u8.ToArray(), "template"u8.ToArray()];

    private static void ReadName(ref JsonScanner reader, ref int start, ref int length)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) continue;
                start = (int)reader.TokenStartIndex + 1; // past the opening quote
                length = reader.ValueSpan.Length;
            }
            else reader.Skip();
        }
    }

    /// <summary>From a reader positioned on an object's StartObject, follows object keys <paramref name="path"/> and
    /// leaves the reader on the final object's StartObject.</summary>
    private static bool DescendInPlace(ref JsonScanner reader, byte[][] path)
    {
        for (var depth = 0; depth < path.Length; depth++)
        {
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals(path[depth])) { reader.Skip(); continue; }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                found = true;
                break;
            }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Follows object keys <paramref name="path"/> from the object <paramref name="json"/>; the range of the final object.</summary>
    private static bool TryDescend(ReadOnlySpan<byte> json, byte[][] path, EvaluationLimits limits, out int start, out int length)
    {
        start = 0;
        length = json.Length;
        foreach (var key in path)
        {
            var reader = new JsonScanner(json.Slice(start, length), Math.Min(limits.MaxDepth, JsonScanner.DepthLimit));
            reader.Read();
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals(key)) { reader.Skip(); continue; }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                var innerStart = (int)reader.TokenStartIndex;
                reader.Skip();
                length = (int)reader.BytesConsumed - innerStart;
                start += innerStart;
                found = true;
                break;
            }
            if (!found) return false;
        }
        return true;
    }
}
