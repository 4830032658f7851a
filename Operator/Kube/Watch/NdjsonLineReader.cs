using System.Buffers;
using System.IO.Pipelines;

namespace SecurityOperator.Kube.Watch;

/// <summary>Reads newline-delimited frames from a watch body with System.IO.Pipelines, one line at a time, never holding
/// more than one line (plus the pipe's read-ahead) in memory. A line longer than <c>maxLineBytes</c> throws
/// <see cref="WatchFrameTooLargeException"/> as soon as that many bytes are buffered without a newline, so a runaway
/// frame costs at most the limit, never the whole stream.</summary>
internal sealed class NdjsonLineReader : IAsyncDisposable
{
    private readonly PipeReader _pipe;
    private readonly long _maxLineBytes;
    private SequencePosition _pendingConsumed;
    private bool _hasPending;
    // Bytes of the current buffer already searched for '\n': a line split over many small reads is scanned once, not
    // once per read (which would be quadratic in the line length).
    private long _searched;
    private byte[]? _scratch;

    public NdjsonLineReader(Stream body, long maxLineBytes)
    {
        _pipe = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: false));
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The next non-empty line without its terminator, or null at a clean end of stream. The memory is valid
    /// until the next call (it points into the pipe's buffer, or into a scratch copy when the line spans segments).</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadRawLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) return null;
            var trimmed = TrimLineEnd(line.Value);
            // Blank lines carry no frame (a server never sends them, a proxy might): skip rather than fail.
            if (!trimmed.IsEmpty) return trimmed;
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadRawLineAsync(CancellationToken cancellationToken)
    {
        if (_hasPending)
        {
            // Release the line handed out by the previous call only now: the caller was still reading it.
            _pipe.AdvanceTo(_pendingConsumed);
            _hasPending = false;
            _searched = 0;
        }

        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = buffer.Slice(_searched).PositionOf((byte)'\n');
            if (newline is { } at)
            {
                var line = buffer.Slice(0, at);
                if (line.Length > _maxLineBytes) throw new WatchFrameTooLargeException(_maxLineBytes);
                _pendingConsumed = buffer.GetPosition(1, at);
                _hasPending = true;
                return Contiguous(line);
            }

            if (buffer.Length > _maxLineBytes) throw new WatchFrameTooLargeException(_maxLineBytes);
            _searched = buffer.Length;

            if (result.IsCompleted)
            {
                if (buffer.IsEmpty) return null;
                // A last line without '\n' (kube-apiserver always terminates frames, but the bytes are still a frame).
                _pendingConsumed = buffer.End;
                _hasPending = true;
                return Contiguous(buffer);
            }

            // Nothing consumed, everything examined: the next ReadAsync waits for more bytes.
            _pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return line.First;
        var length = checked((int)line.Length);
        if (_scratch is null || _scratch.Length < length)
        {
            if (_scratch is not null) ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(length);
        }
        line.CopyTo(_scratch);
        return _scratch.AsMemory(0, length);
    }

    private static ReadOnlyMemory<byte> TrimLineEnd(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var end = span.Length;
        while (end > 0 && (span[end - 1] == (byte)'\r' || span[end - 1] == (byte)' ' || span[end - 1] == (byte)'\t')) end--;
        var start = 0;
        while (start < end && (span[start] == (byte)' ' || span[start] == (byte)'\t')) start++;
        return line.Slice(start, end - start);
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync().ConfigureAwait(false);
        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }
    }
}
