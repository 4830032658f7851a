using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SecurityOperator.Tests.Hosting.Logging;

/// <summary>What one log line contains: one JSON object per line with time, level, role, logger, message and the
/// template's named holes as typed fields.</summary>
public class JsonLineLoggerTests
{
    [Fact]
    public void A_line_has_time_level_role_logger_and_message()
    {
        var capture = new LogCapture(role: "webhook");
        capture.Logger("admission").LogInformation("serving");

        var line = Assert.Single(capture.Lines());
        Assert.Equal("2026-11-22T12:34:56.789Z", line.GetProperty("time").GetString());
        Assert.Equal("info", line.GetProperty("level").GetString());
        Assert.Equal("webhook", line.GetProperty("role").GetString());
        Assert.Equal("admission", line.GetProperty("logger").GetString());
        Assert.Equal("serving", line.GetProperty("message").GetString());
    }

    [Fact]
    public void Without_holes_there_is_no_fields_object_and_no_error()
    {
        var capture = new LogCapture();
        capture.Logger().LogWarning("plain text");
        var line = Assert.Single(capture.Lines());
        Assert.Equal(["time", "level", "role", "logger", "message"], line.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Named_holes_become_fields_with_their_json_types()
    {
        var capture = new LogCapture();
        capture.Logger().LogInformation("relisted {Resource}: {Count} objects, {Big} bytes, {Ratio} ratio, synced {Synced}, took {Elapsed}, owner {Owner}",
            "pods", 42, 10_000_000_000L, 0.25, true, TimeSpan.FromMilliseconds(1500), null);

        var line = Assert.Single(capture.Lines());
        var fields = line.GetProperty("fields");
        Assert.Equal(["Resource", "Count", "Big", "Ratio", "Synced", "Elapsed", "Owner"], fields.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("pods", fields.GetProperty("Resource").GetString());
        Assert.Equal(42, fields.GetProperty("Count").GetInt32());
        Assert.Equal(10_000_000_000L, fields.GetProperty("Big").GetInt64());
        Assert.Equal(0.25, fields.GetProperty("Ratio").GetDouble());
        Assert.Equal(JsonValueKind.True, fields.GetProperty("Synced").ValueKind);
        Assert.Equal(1.5, fields.GetProperty("Elapsed").GetDouble()); // durations in seconds, the Prometheus unit
        Assert.Equal(JsonValueKind.Null, fields.GetProperty("Owner").ValueKind);
        Assert.StartsWith("relisted pods: 42 objects, 10000000000 bytes, 0.25 ratio, synced True", line.GetProperty("message").GetString());
    }

    [Fact]
    public void Other_values_are_written_in_their_invariant_text_form()
    {
        var capture = new LogCapture();
        capture.Logger().LogInformation("{Id} {Uri} {NotANumber}", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
            new Uri("https://10.0.0.1:6443/api"), double.NaN);

        var fields = Assert.Single(capture.Lines()).GetProperty("fields");
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", fields.GetProperty("Id").GetString());
        Assert.Equal("https://10.0.0.1:6443/api", fields.GetProperty("Uri").GetString());
        Assert.Equal("NaN", fields.GetProperty("NotANumber").GetString()); // JSON has no NaN
    }

    [Fact]
    public void Timestamps_in_fields_are_iso_8601()
    {
        var capture = new LogCapture();
        capture.Logger().LogInformation("lease renewed at {RenewTime}", new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        var renewed = Assert.Single(capture.Lines()).GetProperty("fields").GetProperty("RenewTime").GetString()!;
        Assert.StartsWith("2026-01-02T03:04:05.678", renewed);
    }

    [Fact]
    public void Every_numeric_type_stays_a_json_number()
    {
        var capture = new LogCapture();
        capture.Logger().LogInformation("{Float} {Decimal} {UInt} {ULong} {Short} {Byte}", 0.5f, 2.25m, 7u, 8ul, (short)9, (byte)10);

        var fields = Assert.Single(capture.Lines()).GetProperty("fields");
        foreach (var field in fields.EnumerateObject())
            Assert.True(field.Value.ValueKind == JsonValueKind.Number, $"{field.Name} is {field.Value.ValueKind}");
        Assert.Equal(2.25m, fields.GetProperty("Decimal").GetDecimal());
    }

    [Fact]
    public void Text_with_newlines_and_quotes_stays_on_one_line()
    {
        var capture = new LogCapture();
        capture.Logger().LogError("bad manifest {Name}:\n{Detail}", "a\"b", "line1\nline2\r\n\u0000");

        var line = Assert.Single(capture.Lines());
        Assert.Equal("bad manifest a\"b:\nline1\nline2\r\n\u0000", line.GetProperty("message").GetString());
        Assert.Equal("line1\nline2\r\n\u0000", line.GetProperty("fields").GetProperty("Detail").GetString());
    }

    [Fact]
    public void An_exception_adds_its_message_type_and_stack()
    {
        var capture = new LogCapture();
        Exception thrown;
        try { throw new InvalidOperationException("watch loop died", new IOException("connection reset")); }
        catch (InvalidOperationException e) { thrown = e; }
        capture.Logger().LogError(thrown, "loop {Name} failed", "pods");

        var line = Assert.Single(capture.Lines());
        Assert.Equal("loop pods failed", line.GetProperty("message").GetString());
        Assert.Equal("watch loop died", line.GetProperty("error").GetString());
        Assert.Equal("InvalidOperationException", line.GetProperty("errorType").GetString());
        var stack = line.GetProperty("stack").GetString()!;
        Assert.Contains("System.InvalidOperationException: watch loop died", stack);
        Assert.Contains("System.IO.IOException: connection reset", stack);
        Assert.Contains(nameof(An_exception_adds_its_message_type_and_stack), stack);
        Assert.Equal("pods", line.GetProperty("fields").GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData(LogLevel.Trace, "debug")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "error")]
    public void Levels_use_the_four_log_level_names(LogLevel level, string name)
    {
        var capture = new LogCapture(LogLevel.Trace);
        capture.Logger().Log(level, "x");
        Assert.Equal(name, Assert.Single(capture.Lines()).GetProperty("level").GetString());
    }

    [Fact]
    public void Lines_below_the_minimum_level_are_not_written()
    {
        var capture = new LogCapture(LogLevel.Warning);
        var log = capture.Logger();
        Assert.False(log.IsEnabled(LogLevel.Information));
        Assert.True(log.IsEnabled(LogLevel.Warning));
        log.LogTrace("t");
        log.LogDebug("d");
        log.LogInformation("i");
        log.LogWarning("w");
        log.LogError("e");
        log.LogCritical("c");
        Assert.Equal(["w", "e", "c"], capture.Lines().Select(l => l.GetProperty("message").GetString()!).ToArray());
    }

    [Fact]
    public void Debug_minimum_keeps_debug_but_not_trace()
    {
        var capture = new LogCapture(LogLevel.Debug);
        capture.Logger().LogTrace("t");
        capture.Logger().LogDebug("d");
        Assert.Equal("d", Assert.Single(capture.Lines()).GetProperty("message").GetString());
    }

    [Fact]
    public void Level_none_is_never_enabled() => Assert.False(new LogCapture(LogLevel.Trace).Logger().IsEnabled(LogLevel.None));

    [Fact]
    public void Lines_from_several_threads_are_each_whole()
    {
        var capture = new LogCapture();
        Parallel.For(0, 4, thread =>
        {
            var log = capture.Logger($"worker-{thread}");
            for (var i = 0; i < 500; i++) log.LogInformation("item {Thread} {Index}", thread, i);
        });

        var lines = capture.Lines();
        Assert.Equal(2000, lines.Length);
        for (var thread = 0; thread < 4; thread++)
        {
            var indexes = lines.Where(l => l.GetProperty("logger").GetString() == $"worker-{thread}")
                .Select(l => l.GetProperty("fields").GetProperty("Index").GetInt32());
            Assert.Equal(Enumerable.Range(0, 500), indexes); // one writer keeps each thread's order
        }
    }

    [Fact]
    public void Scopes_are_accepted_and_ignored()
    {
        var capture = new LogCapture();
        var log = capture.Logger();
        using (log.BeginScope("request {Id}", 7)) log.LogInformation("inside");
        Assert.Equal("inside", Assert.Single(capture.Lines()).GetProperty("message").GetString());
    }
}
