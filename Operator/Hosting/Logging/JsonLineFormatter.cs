using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SecurityOperator.Hosting.Logging;

/// <summary>Formats one log line. Field values keep their JSON type where it has one (numbers, booleans), everything
/// else is its invariant string form.</summary>
internal static class JsonLineFormatter
{
    private const string OriginalFormat = "{OriginalFormat}";

    public static byte[] Format(DateTimeOffset time, LogLevel level, string role, string category, string message,
        IReadOnlyList<KeyValuePair<string, object?>>? fields, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", LogLevels.Name(level));
            json.WriteString("role", role);
            json.WriteString("logger", category);
            json.WriteString("message", message);
            if (fields is { Count: > 0 } && fields.Any(f => f.Key != OriginalFormat))
            {
                json.WriteStartObject("fields");
                foreach (var (key, value) in fields)
                {
                    if (key == OriginalFormat) continue;
                    WriteValue(json, key, value);
                }
                json.WriteEndObject();
            }
            if (exception is not null)
            {
                json.WriteString("error", exception.Message);
                json.WriteString("errorType", exception.GetType().Name);
                json.WriteString("stack", exception.ToString());
            }
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool b: json.WriteBoolean(key, b); break;
            case int i: json.WriteNumber(key, i); break;
            case long l: json.WriteNumber(key, l); break;
            case uint u: json.WriteNumber(key, u); break;
            case ulong ul: json.WriteNumber(key, ul); break;
            case short sh: json.WriteNumber(key, sh); break;
            case ushort us: json.WriteNumber(key, us); break;
            case byte by: json.WriteNumber(key, by); break;
            case sbyte sb: json.WriteNumber(key, sb); break;
            case decimal m: json.WriteNumber(key, m); break;
            case double d when double.IsFinite(d): json.WriteNumber(key, d); break;
            case float f when float.IsFinite(f): json.WriteNumber(key, f); break;
            case TimeSpan t: json.WriteNumber(key, t.TotalSeconds); break;
            case DateTimeOffset dto: json.WriteString(key, dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)); break;
            case DateTime dt: json.WriteString(key, dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)); break;
            case IFormattable f: json.WriteString(key, f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteString(key, value.ToString()); break;
        }
    }
}
