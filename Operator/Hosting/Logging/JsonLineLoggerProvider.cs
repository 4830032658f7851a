using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SecurityOperator.Hosting.Logging;

/// <summary>Structured logs as one JSON object per line on stdout: {"time","level","role","logger","message","fields",
/// "error"}. Lines are formatted on the caller's thread and written by one background writer through a bounded queue,
/// so a slow stdout never blocks request threads; when the queue is full, lines are dropped and counted (the count
/// is logged once the queue drains).</summary>
public sealed class JsonLineLoggerProvider : ILoggerProvider
{
    /// <summary>Enough for bursts of thousands of lines; at ~300 bytes a line it bounds the queue to a few MB.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Channel<byte[]> _lines;
    private readonly Stream _output;
    private readonly Task _writer;
    private long _dropped;

    public JsonLineLoggerProvider(string role, LogLevel minimum, Stream output, int capacity = DefaultCapacity, TimeProvider? clock = null)
    {
        Role = role;
        Minimum = minimum;
        Clock = clock ?? TimeProvider.System;
        _output = output;
        // DropWrite reports success for a dropped line, so drops are counted through the channel's callback.
        _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Role { get; }
    public LogLevel Minimum { get; }
    internal TimeProvider Clock { get; }
    public long Dropped => Interlocked.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => new JsonLineLogger(this, categoryName);

    internal void Enqueue(byte[] line)
    {
        if (!_lines.Writer.TryWrite(line)) Interlocked.Increment(ref _dropped); // only after Dispose
    }

    private async Task WriteLoopAsync()
    {
        long reportedDrops = 0;
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _output.WriteAsync(line).ConfigureAwait(false);
                if (_lines.Reader.Count == 0)
                {
                    await _output.FlushAsync().ConfigureAwait(false);
                    var dropped = Dropped;
                    if (dropped != reportedDrops)
                    {
                        await _output.WriteAsync(JsonLineFormatter.Format(Clock.GetUtcNow(), LogLevel.Warning, Role, "logging",
                            $"dropped {dropped - reportedDrops} log line(s): the log queue was full", null, null)).ConfigureAwait(false);
                        await _output.FlushAsync().ConfigureAwait(false);
                        reportedDrops = dropped;
                    }
                }
            }
            catch (IOException)
            {
                // stdout closed (the pipe reader went away): nothing useful can be done with a log line now.
            }
        }
    }

    /// <summary>Flushes what is queued (bounded wait) and stops the writer.</summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
        try { _output.Flush(); } catch (IOException) { }
    }
}
