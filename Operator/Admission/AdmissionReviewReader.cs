using System.Text.Json;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Admission;

/// <summary>Reads an AdmissionReview v1 body with one forward <see cref="Utf8JsonReader"/> pass, without a DOM: the
/// request fields the webhook needs are located, request.object and request.oldObject are kept as byte ranges for the
/// evaluator, everything else is skipped (but still validated, so malformed JSON anywhere is reported). The two objects,
/// most of the body, are measured and validated by the evaluator's own faster tokenizer
/// (<see cref="JsonScanner.MeasureValue"/>) rather than by Utf8JsonReader.
/// Independent of HTTP so it can be tested on the recorded bodies alone.</summary>
public static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";
    public const string ReviewKind = "AdmissionReview";

    // Kubernetes names are at most 253 bytes; a longer escaped value is decoded on the heap instead of the stack.
    private const int StackValueLimit = 256;

    // Utf8JsonReader's default JsonReaderOptions.MaxDepth: an object nested deeper is left to the reader to reject.
    private const int ReaderMaxDepth = 64;

    /// <summary>False with a message naming the field and the problem when the body is not a usable AdmissionReview v1
    /// request. Never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, Utf8StringCache strings, out AdmissionReviewRequest request, out string? error)
    {
        request = default;
        try
        {
            return TryReadCore(body, strings, fastObjects: true, out request, out error);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // After a fast-skipped object the reader no longer counts lines, so its error position would be wrong:
            // read again token by token for the exact message. Only malformed bodies pay for this.
        }
        return TryReadExact(body, strings, out request, out error);
    }

    /// <summary><see cref="TryRead"/> with every part of the body read by Utf8JsonReader (no <see cref="JsonScanner"/>):
    /// the reference the fast path is tested against, and the source of error messages.</summary>
    internal static bool TryReadExact(ReadOnlySpan<byte> body, Utf8StringCache strings, out AdmissionReviewRequest request, out string? error)
    {
        request = default;
        try
        {
            return TryReadCore(body, strings, fastObjects: false, out request, out error);
        }
        catch (JsonException e)
        {
            error = $"malformed JSON at byte {e.BytePositionInLine ?? 0} of line {(e.LineNumber ?? 0) + 1}: {FirstSentence(e.Message)}";
            return false;
        }
        catch (InvalidOperationException e)
        {
            // Invalid UTF-8 inside a string value surfaces when it is decoded.
            error = $"malformed JSON: {FirstSentence(e.Message)}";
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> body, Utf8StringCache strings, bool fastObjects, out AdmissionReviewRequest request,
        out string? error)
    {
        request = default;
        error = null;
        var reader = new Utf8JsonReader(body);
        // Where the reader's span starts in the body: a reader resumed after a fast-skipped object reads a suffix.
        var origin = fastObjects ? 0 : -1;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "the body is not a JSON object (expected an AdmissionReview)";
            Drain(ref reader);
            return false;
        }
        bool apiVersionOk = false, kindOk = false, sawRequest = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                reader.Read();
                apiVersionOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ApiVersion);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kindOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ReviewKind);
            }
            else if (reader.ValueTextEquals("request"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error ??= "request must be an object";
                    reader.Skip();
                    continue;
                }
                sawRequest = true;
                error ??= ReadRequest(ref reader, body, ref origin, strings, out request);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        Drain(ref reader);
        if (!apiVersionOk) error = $"apiVersion must be {ApiVersion}";
        else if (!kindOk) error = $"kind must be {ReviewKind}";
        else if (!sawRequest) error ??= "the AdmissionReview has no request";
        return error is null;
    }

    /// <summary>Reads to the end of the input so that malformed JSON after the part of interest is still reported.</summary>
    private static void Drain(ref Utf8JsonReader reader)
    {
        while (reader.Read()) { }
    }

    /// <summary>Reads the request object; the reader ends on its EndObject. Returns the first problem, or null.</summary>
    private static string? ReadRequest(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int origin, Utf8StringCache strings,
        out AdmissionReviewRequest request)
    {
        string? error = null;
        var uid = ByteRange.Absent;
        var operation = AdmissionOperation.Unknown;
        string group = "", kind = "", subResource = "";
        string? ns = null, user = null;
        var dryRun = false;
        ByteRange obj = ByteRange.Absent, oldObj = ByteRange.Absent;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("uid"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                    uid = new ByteRange(Math.Max(origin, 0) + (int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
                else error ??= "request.uid must be a non-empty string";
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) ReadGroupVersionKind(ref reader, strings, ref group, ref kind);
                else
                {
                    error ??= "request.kind must be an object {group, version, kind}";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("namespace"u8)) ns = ReadOptionalString(ref reader, strings, "request.namespace", ref error);
            else if (reader.ValueTextEquals("operation"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped) operation = AdmissionOperations.Parse(reader.ValueSpan);
                else if (reader.TokenType != JsonTokenType.String) error ??= "request.operation must be a string";
            }
            else if (reader.ValueTextEquals("subResource"u8)) subResource = ReadOptionalString(ref reader, strings, "request.subResource", ref error) ?? "";
            else if (reader.ValueTextEquals("dryRun"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) dryRun = reader.TokenType == JsonTokenType.True;
                else if (reader.TokenType != JsonTokenType.Null) error ??= "request.dryRun must be a boolean";
            }
            else if (reader.ValueTextEquals("userInfo"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) user = ReadUserName(ref reader, strings, ref error);
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("object"u8)) obj = ReadObjectRange(ref reader, body, ref origin, "request.object", ref error);
            else if (reader.ValueTextEquals("oldObject"u8)) oldObj = ReadObjectRange(ref reader, body, ref origin, "request.oldObject", ref error);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!uid.IsPresent) error ??= "request.uid is missing";
        request = new AdmissionReviewRequest(uid, operation, group, kind, ns, subResource, dryRun, user, obj, oldObj);
        return error;
    }

    private static void ReadGroupVersionKind(ref Utf8JsonReader reader, Utf8StringCache strings, ref string group, ref string kind)
    {
        string? ignored = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("group"u8)) group = ReadOptionalString(ref reader, strings, "request.kind.group", ref ignored) ?? "";
            else if (reader.ValueTextEquals("kind"u8)) kind = ReadOptionalString(ref reader, strings, "request.kind.kind", ref ignored) ?? "";
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string? ReadUserName(ref Utf8JsonReader reader, Utf8StringCache strings, ref string? error)
    {
        string? user = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("username"u8)) user = ReadOptionalString(ref reader, strings, "request.userInfo.username", ref error);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return user;
    }

    /// <summary>An object value as a range of the body (start of '{' to after '}'); null gives Absent. With
    /// <paramref name="origin"/> at or above 0 (the fast path) a well-formed object is measured by
    /// <see cref="JsonScanner.MeasureValue"/> and <paramref name="reader"/> is replaced by one that resumes at its closing brace.</summary>
    private static ByteRange ReadObjectRange(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int origin, string field, ref string? error)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return ByteRange.Absent;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error ??= $"{field} must be an object or null";
            reader.Skip();
            return ByteRange.Absent;
        }
        var offset = Math.Max(origin, 0);
        var start = offset + (int)reader.TokenStartIndex;
        if (origin >= 0)
        {
            // Margin of two levels below the reader's limit: an object the scanner accepts never trips the reader's. A
            // malformed one (-1) is skipped by the reader below, which reports it in its own words.
            var length = JsonScanner.MeasureValue(body[start..], Math.Min(63, ReaderMaxDepth - reader.CurrentDepth - 2));
            if (length > 0)
            {
                // The state at '{' continued with the closing '}' reads as an empty object: the reader goes on from there
                // exactly as after Skip(), with its positions relative to the new origin.
                var closing = start + length - 1;
                reader = new Utf8JsonReader(body[closing..], isFinalBlock: true, reader.CurrentState);
                origin = closing;
                reader.Read();
                return new ByteRange(start, length);
            }
        }
        reader.Skip();
        return new ByteRange(start, offset + (int)reader.BytesConsumed - start);
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader, Utf8StringCache strings, string field, ref string? error)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
        {
            error ??= $"{field} must be a string";
            reader.Skip();
            return null;
        }
        if (!reader.ValueIsEscaped) return strings.Get(reader.ValueSpan);
        if (reader.ValueSpan.Length > StackValueLimit) return reader.GetString();
        Span<byte> unescaped = stackalloc byte[StackValueLimit];
        return strings.Get(unescaped[..reader.CopyString(unescaped)]);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
