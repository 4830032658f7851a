using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.MicroTime (Lease acquire/renewTime, events.k8s.io Event eventTime): RFC3339 with EXACTLY six fractional
/// digits, in UTC ("2026-11-22T11:31:10.123456Z"). kube-apiserver parses it with the Go layout
/// "2006-01-02T15:04:05.000000Z07:00", so any other precision is a 400 decode error (transcript coord-01, request 7).
/// Writing truncates to microseconds; reading is strict so a malformed value from another writer is reported, not guessed.</summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"a MicroTime must be a JSON string, got {reader.TokenType}");
        var text = reader.GetString()!;
        // The server accepts any zone offset but always six digits; check the digits, let the parser handle the offset.
        var dot = text.IndexOf('.');
        var digits = 0;
        while (dot >= 0 && dot + 1 + digits < text.Length && char.IsAsciiDigit(text[dot + 1 + digits])) digits++;
        if (digits != 6 || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
            throw new JsonException($"'{text}' is not a MicroTime: RFC3339 with exactly 6 fractional digits (e.g. 2026-11-22T11:31:10.123456Z)");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[27];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
