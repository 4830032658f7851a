using System.Text.Json;

namespace SecurityOperator.Kube.Client;

/// <summary>Reads the top-level "kind" of a JSON object without materialising it, to tell a Status from an object.</summary>
internal static class JsonKind
{
    public static string? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKind = reader.ValueTextEquals("kind"u8);
                if (!reader.Read()) return null;
                if (isKind) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException) { }
        return null;
    }
}
