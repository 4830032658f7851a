using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecurityOperator.Admission;

/// <summary>Writes AdmissionReview v1 responses as the API server expects them (adm-07..adm-10): same apiVersion and
/// kind as the request, response.uid echoing request.uid byte for byte (a mismatch fails the call, adm-10), allowed,
/// then only the optional fields that carry something.</summary>
public static class AdmissionResponseWriter
{
    /// <summary>Key of the dry-run findings in the API server's audit annotations (prefixed there with the webhook's name).
    /// A qualified-name segment, as the API server requires of annotation keys.</summary>
    public const string AuditAnnotationKey = "dryrun-violations";

    public const string PatchTypeJsonPatch = "JSONPatch";

    /// <summary>Quotes in messages are written as \" rather than \u0022: the answer goes to the API server, never into
    /// HTML, so the default encoder's HTML-safe escaping only makes messages harder to read in logs and audit events.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>allowed: true, nothing else (the no-violation answer; allocates nothing).</summary>
    public static void WriteAllowed(Utf8JsonWriter w, ReadOnlySpan<byte> rawUid)
    {
        WriteStart(w, rawUid, true);
        WriteEnd(w);
    }

    public static void Write(Utf8JsonWriter w, ReadOnlySpan<byte> rawUid, AdmissionResponse response)
    {
        WriteStart(w, rawUid, response.Allowed);
        if (!response.Allowed)
        {
            w.WriteStartObject("status"u8);
            w.WriteNumber("code"u8, response.StatusCode);
            w.WriteString("message"u8, response.Message);
            w.WriteEndObject();
        }
        if (response.Warnings.Count > 0)
        {
            w.WriteStartArray("warnings"u8);
            foreach (var warning in response.Warnings) w.WriteStringValue(warning);
            w.WriteEndArray();
        }
        if (response.AuditAnnotationValue is { } audit)
        {
            w.WriteStartObject("auditAnnotations"u8);
            w.WriteString(AuditAnnotationKey, audit);
            w.WriteEndObject();
        }
        if (!response.Patch.IsEmpty)
        {
            w.WriteString("patchType"u8, PatchTypeJsonPatch);
            w.WriteBase64String("patch"u8, response.Patch.Span);
        }
        WriteEnd(w);
    }

    private static void WriteStart(Utf8JsonWriter w, ReadOnlySpan<byte> rawUid, bool allowed)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion"u8, "admission.k8s.io/v1"u8);
        w.WriteString("kind"u8, "AdmissionReview"u8);
        w.WriteStartObject("response"u8);
        w.WritePropertyName("uid"u8);
        // The uid token exactly as received (still JSON-escaped), so the echo is identical whatever the escaping.
        w.WriteRawValue(rawUid, skipInputValidation: true);
        w.WriteBoolean("allowed"u8, allowed);
    }

    private static void WriteEnd(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }
}
