using System.Text;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Logging;

namespace SecurityOperator.Tests.Hosting.Logging;

/// <summary>The provider's queue: a stuck stdout never blocks the caller, a full queue drops lines and says how many,
/// and Dispose writes what is still queued.</summary>
public class JsonLineLoggerProviderTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static string[] Messages(byte[] output) =>
        LogCapture.ParseLines(Encoding.UTF8.GetString(output)).Select(l => l.GetProperty("message").GetString()!).ToArray();

    /// <summary>Logs "first" and waits until the writer is stuck writing it, so the next lines only fill the queue.</summary>
    private static async Task<ILogger> StuckWriter(JsonLineLoggerProvider provider, GatedStream output)
    {
        var log = provider.CreateLogger("test");
        log.LogInformation("first");
        Assert.Same(output.FirstWriteStarted, await Task.WhenAny(output.FirstWriteStarted, Task.Delay(Generous)));
        return log;
    }

    [Fact]
    public async Task Logging_returns_while_stdout_is_stuck()
    {
        var output = new GatedStream();
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, output, capacity: 4);
        var log = await StuckWriter(provider, output);

        var logging = Task.Run(() => { for (var i = 0; i < 100; i++) log.LogInformation("line {Index}", i); });
        Assert.Same(logging, await Task.WhenAny(logging, Task.Delay(Generous)));

        output.Open();
        provider.Dispose();
    }

    [Fact]
    public async Task A_full_queue_drops_new_lines_and_keeps_the_queued_ones_in_order()
    {
        var output = new GatedStream();
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, output, capacity: 4);
        var log = await StuckWriter(provider, output);

        for (var i = 1; i <= 7; i++) log.LogInformation("line {Index}", i);
        output.Open();
        provider.Dispose();

        var messages = Messages(output.Written());
        Assert.Equal(["first", "line 1", "line 2", "line 3", "line 4"], messages.Take(5).ToArray());
        Assert.DoesNotContain("line 5", messages);
        Assert.DoesNotContain("line 7", messages);
    }

    [Fact]
    public async Task Dropped_lines_are_counted()
    {
        var output = new GatedStream();
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, output, capacity: 4);
        var log = await StuckWriter(provider, output);

        for (var i = 1; i <= 7; i++) log.LogInformation("line {Index}", i);

        Assert.Equal(3, provider.Dropped);
        output.Open();
        provider.Dispose();
    }

    [Fact]
    public async Task Once_the_queue_drains_a_warning_reports_how_many_lines_were_dropped()
    {
        var output = new GatedStream();
        var provider = new JsonLineLoggerProvider("node", LogLevel.Information, output, capacity: 4);
        var log = await StuckWriter(provider, output);

        for (var i = 1; i <= 7; i++) log.LogInformation("line {Index}", i);
        output.Open();
        provider.Dispose();

        var lines = LogCapture.ParseLines(Encoding.UTF8.GetString(output.Written()));
        Assert.Equal(6, lines.Length);
        var report = lines[^1];
        Assert.Equal("dropped 3 log line(s): the log queue was full", report.GetProperty("message").GetString());
        Assert.Equal("warn", report.GetProperty("level").GetString());
        Assert.Equal("node", report.GetProperty("role").GetString());
        Assert.Equal("logging", report.GetProperty("logger").GetString());
    }

    [Fact]
    public void Without_drops_there_is_no_drop_report()
    {
        var capture = new LogCapture();
        for (var i = 0; i < 10; i++) capture.Logger().LogInformation("line {Index}", i);
        Assert.Equal(0, capture.Provider.Dropped);
        Assert.DoesNotContain(capture.Lines(), l => l.GetProperty("logger").GetString() == "logging");
    }

    [Fact]
    public void Dispose_writes_every_line_still_queued()
    {
        var capture = new LogCapture();
        var log = capture.Logger();
        for (var i = 0; i < 1000; i++) log.LogInformation("line {Index}", i);

        var lines = capture.Lines(); // disposes right away, before the writer can have caught up on a busy machine
        Assert.Equal(Enumerable.Range(0, 1000), lines.Select(l => l.GetProperty("fields").GetProperty("Index").GetInt32()));
    }

    [Fact]
    public async Task Dispose_writes_lines_queued_behind_a_slow_stdout_once_it_moves()
    {
        var output = new GatedStream();
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, output, capacity: 100);
        var log = await StuckWriter(provider, output);
        for (var i = 1; i <= 3; i++) log.LogInformation("line {Index}", i);

        var disposing = Task.Run(provider.Dispose);
        output.Open();
        Assert.Same(disposing, await Task.WhenAny(disposing, Task.Delay(Generous)));

        Assert.Equal(["first", "line 1", "line 2", "line 3"], Messages(output.Written()));
    }

    [Fact]
    public void A_broken_stdout_does_not_break_the_caller_or_dispose()
    {
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, new BrokenPipe());
        var log = provider.CreateLogger("test");
        for (var i = 0; i < 10; i++) log.LogError("line {Index}", i);
        provider.Dispose();
    }

    private sealed class BrokenPipe : Stream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("Broken pipe"));
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
        public override void Flush() => throw new IOException("Broken pipe");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.FromException(new IOException("Broken pipe"));
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
