using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Logging;

namespace SecurityOperator.Tests.Hosting.Logging;

/// <summary>A provider writing into memory with a fixed clock; <see cref="Lines"/> disposes it (which flushes) and
/// parses every line as its own JSON document.</summary>
internal sealed class LogCapture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 34, 56, 789, TimeSpan.Zero);

    private readonly MemoryStream _output = new();

    public LogCapture(LogLevel minimum = LogLevel.Debug, string role = "controller") =>
        Provider = new JsonLineLoggerProvider(role, minimum, _output, clock: new FixedClock(Now));

    public JsonLineLoggerProvider Provider { get; }

    public ILogger Logger(string category = "test") => Provider.CreateLogger(category);

    public string Text()
    {
        Provider.Dispose();
        return Encoding.UTF8.GetString(_output.ToArray());
    }

    public JsonElement[] Lines() => ParseLines(Text());

    public static JsonElement[] ParseLines(string text)
    {
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
