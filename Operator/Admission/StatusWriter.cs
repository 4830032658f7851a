using System.Text.Json;

namespace SecurityOperator.Admission;

/// <summary>Error answers that are not AdmissionReviews (the request could not be one): a Kubernetes Status object,
/// as the API server itself answers errors (status Failure, message, reason, code equal to the HTTP status).</summary>
internal static class StatusWriter
{
    public static void Write(Utf8JsonWriter w, int code, string reason, string message)
    {
        w.WriteStartObject();
        w.WriteString("kind"u8, "Status"u8);
        w.WriteString("apiVersion"u8, "v1"u8);
        w.WriteStartObject("metadata"u8);
        w.WriteEndObject();
        w.WriteString("status"u8, "Failure"u8);
        w.WriteString("message"u8, message);
        w.WriteString("reason"u8, reason);
        w.WriteNumber("code"u8, code);
        w.WriteEndObject();
        w.Flush();
    }
}
