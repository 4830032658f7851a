using System.Text.Json;

namespace SecurityOperator.Runtime.Detection;

/// <summary>Writes alerts as Falco's JSON output does (json_output: true): one object per line with time, rule,
/// priority, output, output_fields, source, tags and hostname, so pipelines built for Falco (falcosidekick, log
/// shippers matching on "rule"/"priority") take them unchanged. Our additions: "rule_id" and the MITRE technique in
/// tags.</summary>
public sealed class FalcoAlertWriter(TextWriter output, string hostname)
{
    private readonly Lock _gate = new();

    public void Write(RuntimeAlert alert)
    {
        lock (_gate)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("time", alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("rule", alert.Rule.Name);
                json.WriteString("rule_id", alert.Rule.Id);
                json.WriteString("priority", alert.Rule.Priority.ToString());
                json.WriteString("output", alert.Message);
                json.WriteStartObject("output_fields");
                foreach (var (key, value) in alert.Fields)
                    if (key != "argument.kind") json.WriteString(key, value);
                json.WriteEndObject();
                json.WriteString("source", "syscall");
                json.WriteStartArray("tags");
                json.WriteStringValue(alert.Rule.Technique);
                json.WriteStringValue("container");
                json.WriteEndArray();
                json.WriteString("hostname", hostname);
                json.WriteEndObject();
            }
            // One WriteLine per alert: a synchronized stdout never interleaves it with a log line.
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Flush();
        }
    }
}
