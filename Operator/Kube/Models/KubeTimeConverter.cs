using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Models;

/// <summary>metav1.Time: RFC3339 with whole seconds, always written in UTC with "Z" ("2026-11-22T11:32:13Z"), the form
/// kube-apiserver itself emits (Go's time.RFC3339 layout, metav1.Time.MarshalJSON truncates to seconds).
/// Reading accepts any RFC3339 offset and fractional seconds, because other clients may write them.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"a Kubernetes time must be a JSON string, got {reader.TokenType}");
        var text = reader.GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            || !text.Contains('T'))
            throw new JsonException($"'{text}' is not an RFC3339 time (e.g. 2026-11-22T11:32:13Z)");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[20];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
