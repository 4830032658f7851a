using System.Text;

namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>A watch response body: hands out its bytes in reads of at most <see cref="ChunkSize"/> bytes, then ends the
/// body cleanly, throws (a connection reset), or hangs until cancelled/disposed (a quiet, open watch).</summary>
internal sealed class ScriptedStream : Stream
{
    public enum Ending { EndOfStream, Reset, Hang }

    private readonly byte[] _bytes;
    private readonly Ending _ending;
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public ScriptedStream(byte[] bytes, Ending ending, int chunkSize = 4096)
    {
        _bytes = bytes;
        _ending = ending;
        ChunkSize = chunkSize;
    }

    public static ScriptedStream Lines(IEnumerable<string> lines, Ending ending, int chunkSize = 4096) =>
        new(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), ending, chunkSize);

    public int ChunkSize { get; }
    public long BytesRead => _position;
    public bool IsDisposed => _disposed.Task.IsCompleted;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _bytes.Length)
        {
            var n = Math.Min(Math.Min(ChunkSize, buffer.Length), _bytes.Length - _position);
            _bytes.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        switch (_ending)
        {
            case Ending.EndOfStream:
                return 0;
            case Ending.Reset:
                throw new IOException("Connection reset by peer");
            default:
                await Task.WhenAny(_disposed.Task, Task.Delay(Timeout.Infinite, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                throw new ObjectDisposedException(nameof(ScriptedStream));
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        _disposed.TrySetResult();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
